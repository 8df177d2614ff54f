/** What a command registered from its own file needs of the program (main.ts): output, exit codes, its errors. */
export interface CommandContext {
  out: (s: string) => void;
  setExit: (code: number) => void;
  /** An absolute folder that exists, else a usage error. */
  readableDir: (dir: string) => string;
  /** An error `runCli` prints as one line and turns into exit code 2. */
  usageError: (message: string) => Error;
  exit: { ok: number; findings: number; usage: number };
}
