/** What an SSH banner says about the host behind it (RFC 4253 §4.2: `SSH-2.0-softwareversion comments`). */
export type GuessedOs = 'linux' | 'windows' | 'macos' | 'bsd' | 'unknown';

export interface BannerInfo {
  readonly banner: string;
  readonly software: string;
  readonly os: GuessedOs;
}

export function parseBanner(line: string): BannerInfo | undefined {
  const banner = line.replace(/[\r\n]+$/, '');
  const m = /^SSH-(?:2\.0|1\.99)-(\S+)(?: (.*))?$/.exec(banner);
  if (!m) return undefined;
  const software = m[1]!;
  const comment = m[2] ?? '';
  return { banner, software, os: guessOs(software, comment) };
}

function guessOs(software: string, comment: string): GuessedOs {
  const all = `${software} ${comment}`;
  // Win32-OpenSSH says "OpenSSH_for_Windows_8.1"; Bitvise and a few others run only on Windows.
  if (/for_Windows|Windows|Bitvise|WeOnlyDo|VShell|SysaxSSH|KpyM/i.test(all)) return 'windows';
  if (/Debian|Ubuntu|Raspbian|el\d|Fedora|SUSE|Arch|Alpine|dropbear/i.test(all)) return 'linux';
  if (/FreeBSD|OpenBSD|NetBSD/i.test(all)) return 'bsd';
  if (/Apple|macOS|Darwin/i.test(all)) return 'macos';
  return 'unknown';
}
