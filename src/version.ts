import pkg from '../package.json' with { type: 'json' };

/** DCoD's own version, from package.json (one source of truth for the app, the CLI and the bundle). */
export const version: string = pkg.version;
