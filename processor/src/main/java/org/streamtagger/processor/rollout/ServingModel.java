package org.streamtagger.processor.rollout;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.streamtagger.tagging.inference.ModelInfo;
import org.streamtagger.tagging.inference.SentenceTagger;
import org.streamtagger.tagging.inference.Tagging;

/**
 * The model a processor serves, replaceable while it runs. Each batch takes a {@link Lease} and
 * tags with that lease's model only, so that no batch mixes models; a replaced model is closed when
 * the last batch that holds it ends, so stream threads still tagging with it are not cut short.
 */
public final class ServingModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingModel.class);

  /** One loaded model and the batches that hold it. */
  private static final class Loaded {
    final SentenceTagger tagger;
    final AutoCloseable resource;
    final String sha256;
    int leases;
    boolean retired;

    Loaded(SentenceTagger tagger, AutoCloseable resource, String sha256) {
      this.tagger = tagger;
      this.resource = resource;
      this.sha256 = sha256;
    }
  }

  private Loaded current;
  private Runnable catchUp = () -> {};

  /**
   * @param tagger the model served first
   * @param resource closed once the model is replaced and unused, or with this (may be null)
   * @param sha256 the model file's SHA-256 (null where there is no file, as in tests)
   */
  public ServingModel(SentenceTagger tagger, AutoCloseable resource, String sha256) {
    this.current = new Loaded(tagger, resource, sha256);
  }

  /** The model for one batch; close the lease when the batch is tagged. */
  public synchronized Lease acquire() {
    if (current == null) {
      throw new IllegalStateException("the model is closed");
    }
    current.leases++;
    return new Lease(current);
  }

  /** Serves {@code tagger} from the next batch on; the model it replaces is closed once unused. */
  public void swap(SentenceTagger tagger, AutoCloseable resource, String sha256) {
    Loaded old;
    synchronized (this) {
      old = current;
      current = new Loaded(tagger, resource, sha256);
      old.retired = true;
      if (old.leases > 0) {
        return;
      }
    }
    closeQuietly(old);
  }

  /** What the served model says about itself (with the name and version it was announced as). */
  public synchronized ModelInfo info() {
    return current.tagger.model();
  }

  /** The served model file's SHA-256, or null where it is not known. */
  public synchronized String sha256() {
    return current.sha256;
  }

  /**
   * Called by each stream task before it tags anything: applies the announcements already on the
   * control topic, so that a partition moving from an instance that has swapped to one that has not
   * yet does not go back to the older model.
   */
  public void catchUp() {
    Runnable r;
    synchronized (this) {
      r = catchUp;
    }
    r.run();
  }

  synchronized void onCatchUp(Runnable r) {
    this.catchUp = r;
  }

  private void release(Loaded l) {
    synchronized (this) {
      l.leases--;
      if (!l.retired || l.leases > 0) {
        return;
      }
    }
    closeQuietly(l);
  }

  @Override
  public void close() {
    Loaded l;
    synchronized (this) {
      l = current;
      if (l == null) {
        return;
      }
      current = null;
      l.retired = true;
      if (l.leases > 0) {
        return;
      }
    }
    closeQuietly(l);
  }

  private static void closeQuietly(Loaded l) {
    if (l.resource == null) {
      return;
    }
    try {
      l.resource.close();
    } catch (Exception e) {
      LOG.warn("closing model {} failed: {}", l.tagger.model().name(), e.toString());
    }
  }

  /** One batch's hold on a model. */
  public final class Lease implements AutoCloseable {
    private final Loaded loaded;
    private boolean released;

    private Lease(Loaded loaded) {
      this.loaded = loaded;
    }

    public SentenceTagger tagger() {
      return loaded.tagger;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        release(loaded);
      }
    }
  }

  /** A model under the name and version it was announced as (what output records show). */
  record Labelled(SentenceTagger tagger, ModelInfo info) implements SentenceTagger {
    static Labelled of(SentenceTagger tagger, String name, String version) {
      ModelInfo m = tagger.model();
      return new Labelled(
          tagger,
          new ModelInfo(name, version, m.tagColumn(), m.tags(), m.maxWordChars(), m.properties()));
    }

    @Override
    public List<Tagging> tag(List<List<String>> sentences) {
      return tagger.tag(sentences);
    }

    @Override
    public ModelInfo model() {
      return info;
    }
  }
}
