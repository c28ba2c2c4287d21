// Waits until every address given answers on port 22 with an SSH banner, i.e. sshd really accepts
// connections over the LAN. Run by the lab inside a lab namespace (`nsenter --net=…`), since the machine's
// own namespace has no route to the lab, by design.
//   node wait-ssh.mjs TIMEOUT_MS ADDRESS...
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const [timeoutArg, ...addresses] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);

/** @param {string} address @returns {Promise<boolean>} */
function answersWithBanner(address) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: 22 });
    let received = '';
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(received.startsWith('SSH-')));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) done(received.startsWith('SSH-'));
    });
  });
}

/** @param {string} address */
async function waitFor(address) {
  while (!(await answersWithBanner(address))) {
    if (Date.now() > deadline) throw new Error(`${address}:22 gave no SSH banner within ${timeoutArg} ms`);
    await sleep(20);
  }
}

const results = await Promise.allSettled(addresses.map(waitFor));
const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.message ?? r.reason)] : []));
if (failures.length > 0) {
  process.stderr.write(`${failures.join('\n')}\n`);
  process.exit(1);
}
