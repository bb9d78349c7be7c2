package coffer.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Reads a password from the terminal (not echoed) or from standard input. */
final class Passwords {
  private Passwords() {}

  static String read(boolean fromStdin, boolean confirm) {
    return read(fromStdin, confirm, "Password");
  }

  /** Like {@link #read(boolean, boolean)}, asking for the password under another name. */
  static String read(boolean fromStdin, boolean confirm, String what) {
    if (fromStdin) {
      try {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
          throw new UserException("no password on standard input");
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Console console = System.console();
    if (console == null) {
      throw new UserException("no terminal to ask for a password: use --password-stdin");
    }
    char[] first = console.readPassword("%s: ", what);
    if (first == null) {
      throw new UserException("no password given");
    }
    if (confirm) {
      char[] second = console.readPassword("Repeat %s: ", what.toLowerCase(Locale.ROOT));
      if (!Arrays.equals(first, second)) {
        throw new UserException("the passwords differ");
      }
    }
    return new String(first);
  }
}
