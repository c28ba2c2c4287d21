import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmdThenMsvcrt, slashC } from './cmd-reference.testkit';
import { CMD_MAX_LINE, quoteCmd, quotePosix, quotePosixArg, UnquotableArgumentError } from './quote';

/** Runs the quoted words through a real /bin/sh (dash here) and returns the argv it saw. */
function shArgv(quoted: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${quoted}`]);
  const parts = out.toString('utf8').split('\0');
  parts.pop(); // the text after the last NUL is empty
  return parts;
}

// Characters shells love: quotes, expansions, separators, globs, whitespace, and some non-ASCII.
const nastyChar = fc.constantFrom(
  "'", '"', '\\', '$', '`', '(', ')', ';', '&', '|', '<', '>', '*', '?', '[', ']', '{', '}', '~', '#', '!', '=',
  '%', '^', ' ', '\t', '\n', '\r', 'a', '-', 'é', '卡', '😀',
);
const nastyString = fc.oneof(
  fc.string({ unit: nastyChar, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('$(id)', '`id`', "'; rm -rf ~; '", '${HOME}', 'a\nb', '=ls', '-n', '--', ''),
);
const withoutNul = nastyString.filter((s) => !s.includes('\0'));

describe('quotePosix', () => {
  it('leaves plainly safe words bare and quotes the rest', () => {
    expect(quotePosix(['VBoxManage', 'showvminfo', 'web-1', '--machinereadable'])).toBe('VBoxManage showvminfo web-1 --machinereadable');
    expect(quotePosixArg('')).toBe("''");
    expect(quotePosixArg("it's")).toBe(`'it'\\''s'`);
    expect(quotePosixArg('a b')).toBe("'a b'");
    expect(quotePosixArg('=ls')).toBe("'=ls'");
    expect(quotePosixArg('~root')).toBe("'~root'");
  });

  it('refuses NUL, which no argv can hold', () => {
    expect(() => quotePosixArg('a\0b')).toThrow(UnquotableArgumentError);
  });

  it('round-trips any argv through a real /bin/sh', () => {
    fc.assert(
      fc.property(fc.array(withoutNul, { minLength: 1, maxLength: 5 }), (argv) => {
        expect(shArgv(quotePosix(argv))).toEqual(argv);
      }),
      { numRuns: 300 },
    );
  });
});

const VBOX = 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe';

describe('quoteCmd', () => {
  const cases: [string, string[], string][] = [
    ['plain words stay bare', ['VBoxManage.exe', 'list', 'vms'], 'VBoxManage.exe list vms'],
    ['a program with spaces is quoted and @-prefixed', [VBOX, 'list', 'vms'], `@"${VBOX}" list vms`],
    ['spaces need quotes, whose quotes get carets', ['x', 'my vm'], 'x ^"my vm^"'],
    ['the empty argument', ['x', ''], 'x ^"^"'],
    ['an embedded quote', ['x', 'a"b'], 'x ^"a\\^"b^"'],
    ['backslashes before a quote are doubled', ['x', 'a\\"b'], 'x ^"a\\\\\\^"b^"'],
    ['a trailing backslash inside quotes is doubled', ['x', 'C:\\dir with space\\'], 'x ^"C:\\dir with space\\\\^"'],
    ['backslashes elsewhere are literal', ['x', '\\\\server\\share\\'], 'x \\\\server\\share\\'],
    ['cmd metacharacters get carets', ['x', 'a&b|c<d>e(f)g^h'], 'x a^&b^|c^<d^>e^(f^)g^^h'],
    ['a quote-wrapped injection stays one argument', ['x', '" & calc & "'], 'x ^"\\^" ^& calc ^& \\^"^"'],
    ['non-ASCII passes through', ['x', 'Wireless 卡'], 'x ^"Wireless 卡^"'],
  ];
  for (const [title, argv, expected] of cases) {
    it(title, () => {
      const line = quoteCmd(argv);
      expect(line).toBe(expected);
      expect(cmdThenMsvcrt(line)).toEqual(argv);
    });
  }

  it.each([
    ['%PATH%', /expands "%"/],
    ['a!b!', /expands "!"/],
    ['two\nlines', /U\+000A/],
    ['cr\r', /U\+000D/],
    ['nul\0', /U\+0000/],
  ])('refuses %j', (arg, message) => {
    expect(() => quoteCmd(['x', arg])).toThrow(message);
    expect(() => quoteCmd([arg])).toThrow(UnquotableArgumentError);
  });

  it('refuses an empty argv, a quote in the program path and over-long lines', () => {
    expect(() => quoteCmd([])).toThrow(/empty/);
    expect(() => quoteCmd(['a"b.exe'])).toThrow(/double quote/);
    expect(() => quoteCmd(['x', 'a'.repeat(CMD_MAX_LINE)])).toThrow(/limit of 8191/);
  });

  it('round-trips any argv it accepts, whether or not sshd wraps it for cmd /c', () => {
    // eslint-disable-next-line no-control-regex
    const cmdSafe = withoutNul.filter((s) => !/[%!\u0000-\u0008\u000a-\u001f\u007f]/.test(s));
    const program = fc.constantFrom('VBoxManage.exe', VBOX, 'C:\\Program Files (x86)\\a&b\\v.exe');
    fc.assert(
      fc.property(program, fc.array(cmdSafe, { maxLength: 6 }), (prog, args) => {
        const argv = [prog, ...args];
        const line = quoteCmd(argv);
        expect(line.startsWith('"')).toBe(false);
        expect(cmdThenMsvcrt(slashC(line))).toEqual(argv);
        expect(cmdThenMsvcrt(slashC(`"${line}"`))).toEqual(argv);
      }),
      { numRuns: 2000 },
    );
  });

  it('throws rather than emitting anything for text it refuses', () => {
    fc.assert(
      fc.property(withoutNul, (arg) => {
        let line: string;
        try {
          line = quoteCmd(['x', arg]);
        } catch (err) {
          expect(err).toBeInstanceOf(UnquotableArgumentError);
          return;
        }
        expect(cmdThenMsvcrt(line)).toEqual(['x', arg]);
      }),
      { numRuns: 2000 },
    );
  });
});
