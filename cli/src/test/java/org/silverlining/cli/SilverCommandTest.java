package org.silverlining.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SilverCommandTest {
  @Test
  void aCommandLineBuildsOnlyTheSubcommandItRuns() {
    assertThat(SilverCommand.subcommandsFor("backup", "blog.example.com"))
        .containsExactly(BackupCommand.class);
    assertThat(SilverCommand.subcommandsFor("backups")).containsExactly(BackupsCommand.class);
  }

  @Test
  void helpAnOptionOrAnUnknownNameGetsEverySubcommand() {
    assertThat(SilverCommand.subcommandsFor()).isEqualTo(SilverCommand.SUBCOMMANDS);
    assertThat(SilverCommand.subcommandsFor("help", "backup")).isEqualTo(SilverCommand.SUBCOMMANDS);
    assertThat(SilverCommand.subcommandsFor("--help")).isEqualTo(SilverCommand.SUBCOMMANDS);
    assertThat(SilverCommand.subcommandsFor("bakup")).isEqualTo(SilverCommand.SUBCOMMANDS);
  }

  @Test
  void theTopLevelHelpStillListsEverySubcommand() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(SilverCommand.run("--help")).isZero();
    } finally {
      System.setOut(old);
    }
    String help = out.toString(StandardCharsets.UTF_8);
    for (Class<?> c : SilverCommand.SUBCOMMANDS) {
      assertThat(help).contains("  " + c.getAnnotation(CommandLine.Command.class).name() + " ");
    }
  }
}
