package org.streamtagger.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The one command line: every command of every module under {@code tagger}, all alike. */
class CommandTreeTest {
  private static String run(String... args) {
    CommandLine cli = TaggerCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(0, cli.execute(args), String.join(" ", args));
    return out.toString();
  }

  private static void collect(CommandLine cli, List<List<String>> paths, List<String> path) {
    paths.add(path);
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> longer = new ArrayList<>(path);
              longer.add(name);
              collect(sub, paths, longer);
            });
  }

  @Test
  void everyCommandHasHelpAndTheSameVersion() {
    List<List<String>> paths = new ArrayList<>();
    collect(TaggerCli.commandLine(), paths, List.of());
    assertTrue(paths.size() >= 14, "commands: " + paths);
    String version = run("--version");
    assertTrue(version.startsWith("tagger "), version);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("-V");
      assertEquals(version, run(args.toArray(String[]::new)), "-V of " + path);
      args.set(args.size() - 1, "--help");
      String name = path.isEmpty() ? "tagger" : path.get(path.size() - 1);
      assertTrue(run(args.toArray(String[]::new)).startsWith("Usage: tagger"), "--help of " + path);
      assertTrue(run(args.toArray(String[]::new)).contains(name), name);
    }
  }

  @Test
  void benchListsEveryBenchmark() {
    String help = run("bench", "--help");
    for (String bench : List.of("train", "infer", "stream", "scale")) {
      assertTrue(help.contains("\n  " + bench + " "), bench + " in:\n" + help);
    }
  }

  @Test
  void theRootListsTheCommandsOfEveryModule() {
    String help = run("--help");
    for (String command :
        List.of(
            "demo",
            "run",
            "tag",
            "tokenize",
            "tutorial",
            "train",
            "evaluate",
            "ensemble",
            "export",
            "bench")) {
      assertTrue(help.contains("\n  " + command + " "), command + " in:\n" + help);
    }
  }
}
