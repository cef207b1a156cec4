import { hashPassword } from "../../auth/password-hash.js";
import type { CliCommand, CliIo } from "../command.js";
import { isTerminal, PromptCancelledError, readPassword } from "../read-password.js";

const MIN_LENGTH = 8;

const usage = `Usage: photoferry hash-password [--help]

Asks for the web UI password (twice, on a terminal) or reads the first line of
standard input, and prints its scrypt hash on standard output, nothing else.
Put the hash in web.auth.passwordHash, in the PHOTOFERRY_PASSWORD_HASH
environment variable, or in a file (a Docker secret) named by
web.auth.passwordHashFile.

Examples:
  photoferry hash-password
  printf '%s\\n' "$PASSWORD" | photoferry hash-password
  PHOTOFERRY_PASSWORD_HASH="$(photoferry hash-password)"
`;

const hint = `Put this hash in the config file as web.auth.passwordHash, or set it as the
PHOTOFERRY_PASSWORD_HASH environment variable, or save it in a file (a Docker
secret) and name that file in web.auth.passwordHashFile.
`;

export const hashPasswordCommand: CliCommand = {
  name: "hash-password",
  summary: "Print a password hash for web.auth.passwordHash",
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.includes("--help") || args.includes("-h")) {
      io.stdout.write(usage);
      return 0;
    }
    if (args.length > 0) {
      return fail(io, `unexpected argument "${args[0]}"\n\n${usage}`);
    }
    try {
      const password = await readPassword(io, "Password: ");
      const length = [...password.normalize("NFC")].length;
      if (length < MIN_LENGTH) {
        return fail(
          io,
          `the password must be at least ${MIN_LENGTH} characters long; that one has ${length}`,
        );
      }
      // Without echo a typo would lock the person out, so a terminal asks twice; piped
      // input is already what the person meant.
      if (isTerminal(io) && (await readPassword(io, "Repeat password: ")) !== password) {
        return fail(io, "the two passwords differ; nothing was printed, please try again");
      }
      const hash = await hashPassword(password);
      io.stdout.write(`${hash}\n`);
      io.stderr.write(hint);
      return 0;
    } catch (err) {
      if (err instanceof PromptCancelledError) return 130;
      return fail(io, err instanceof Error ? err.message : String(err));
    }
  },
};

function fail(io: CliIo, message: string): number {
  io.stderr.write(`photoferry hash-password: ${message}\n`);
  return 1;
}
