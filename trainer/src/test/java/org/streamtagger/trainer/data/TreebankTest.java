package org.streamtagger.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.testing.Fixtures;

class TreebankTest {
  @TempDir Path dir;

  @Test
  void loadsAFilledColumn() throws Exception {
    Path f = Fixtures.conllu(dir, "ok.conllu", List.of("a/DET b/NOUN"));
    assertEquals(1, Treebank.load(f, TagColumn.UPOS).size());
  }

  @Test
  void emptyTagColumnIsRefusedWithFileAndLine() throws IOException {
    Path f = dir.resolve("empty.conllu");
    Files.writeString(f, "# x\n1\tword\t_\t_\t_\t_\t_\t_\t_\t_\n\n");
    var e = assertThrows(Treebank.DataException.class, () -> Treebank.load(f, TagColumn.UPOS));
    assertTrue(e.getMessage().contains("empty.conllu: sentence at line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("no UPOS tag"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    var e =
        assertThrows(
            Treebank.DataException.class,
            () -> Treebank.load(dir.resolve("nope.conllu"), TagColumn.UPOS));
    assertTrue(e.getMessage().endsWith("nope.conllu: no such file"), e.getMessage());
  }

  @Test
  void fileWithoutSentencesIsRefused() throws IOException {
    Path f = Files.writeString(dir.resolve("blank.conllu"), "\n\n");
    var e = assertThrows(Treebank.DataException.class, () -> Treebank.load(f, TagColumn.UPOS));
    assertTrue(e.getMessage().contains("no sentences"), e.getMessage());
  }
}
