/**
 * bench/discovery: how long DCoD's sweep of a /24 takes, beside `nmap -sT -p22 -T4` on the same /24 in
 * the same lab. Goal: not slower. Run: `npm run bench:discovery` (as root).
 */
import { spawnSync } from 'node:child_process';
import { parseCidr } from '../src/discovery/cidr';
import { sweep } from '../src/discovery/sweep';
import { benchInLab, median, printRows, timed } from './support';

const RUNS = 5;

await benchInLab({ name: 'bdisc', hosts: 4, plainHosts: 1, cidr: '198.18.20.0/24' }, async (lab) => {
  const range = parseCidr(lab.cidr);
  const ours: number[] = [];
  const theirs: number[] = [];
  let found = 0;
  let nmapFound = 0;
  for (let i = 0; i < RUNS; i++) {
    const run = await timed(() => sweep([range]));
    ours.push(run.ms);
    found = run.value.length;
    const n = await timed(async () => spawnSync('nmap', ['-n', '-sT', '-p22', '-T4', '--open', '-oG', '-', lab.cidr], { encoding: 'utf8' }));
    theirs.push(n.ms);
    nmapFound = (n.value.stdout.match(/22\/open/g) ?? []).length;
  }
  const a = median(ours);
  const b = median(theirs);
  printRows(`discovery: sweep of ${lab.cidr} (${lab.hosts.length} SSH hosts), median of ${RUNS}`, [
    { figure: 'sweep wall time', dcod: `${a.toFixed(0)} ms`, baseline: `${b.toFixed(0)} ms (nmap -sT -p22 -T4)`, ratio: `${(a / b).toFixed(2)}x`, goal: '<= 1.00x' },
    { figure: 'SSH servers found', dcod: String(found), baseline: String(nmapFound), goal: 'equal' },
  ]);
});
