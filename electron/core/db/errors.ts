/** The database file was written by a newer OneWindow; opening it would corrupt it for that version. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `database ${file} has schema version ${fileVersion}, this build supports up to ${supportedVersion}; ` +
        'install the newer OneWindow or restore a backup',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** `PRAGMA quick_check` found damage; the app must not write to this file. */
export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`database ${file} failed its integrity check: ${problems.slice(0, 5).join('; ')}`);
    this.name = 'DatabaseCorruptError';
  }
}
