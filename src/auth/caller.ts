/** Who is calling: nobody (the public), or the holder of a verified token. */
export interface Caller {
  readonly role: 'ADMIN' | 'CLERK';
  readonly subject: string;
  /** For clerks: the bodies whose sessions they may write. */
  readonly bodyIds: readonly number[];
  /** When the token stops being valid (ms since the epoch); a socket opened with it is closed then. */
  readonly expiresAt: number;
}
