package org.streamtagger.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.streamtagger.corpus.Sentence;
import org.streamtagger.corpus.TagColumn;
import org.streamtagger.trainer.cli.DataLocation;

/** The real treebank reads as documented (skipped where ../shared/data is absent). */
class EwtTreebankTest {

  private static Path split(String name) {
    Path p = DataLocation.ewt(name);
    assumeTrue(Files.isRegularFile(p), "UD English EWT not found at " + p + ": skipped");
    return p;
  }

  @Test
  void trainHasTheDocumentedSentencesAndTokens() throws Exception {
    List<Sentence> train = Treebank.load(split("train"), TagColumn.UPOS);
    assertEquals(12_544, train.size());
    assertEquals(204_577, train.stream().mapToInt(Sentence::size).sum());
  }

  @Test
  void devAndTestHaveTheDocumentedSentences() throws Exception {
    assertEquals(2_001, Treebank.load(split("dev"), TagColumn.UPOS).size());
    assertEquals(2_077, Treebank.load(split("test"), TagColumn.XPOS).size());
  }
}
