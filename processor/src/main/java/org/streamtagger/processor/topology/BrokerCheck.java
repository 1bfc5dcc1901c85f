package org.streamtagger.processor.topology;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the broker answers, for readiness: asked at most every {@link #EVERY_MS} and given {@link
 * #TIMEOUT_MS} to answer, so that a probe never waits longer, however the broker is.
 */
final class BrokerCheck implements AutoCloseable {
  static final long EVERY_MS = 5_000;
  static final int TIMEOUT_MS = 2_000;

  private final Admin admin;
  private boolean checked;
  private long checkedAt;
  private String problem;

  BrokerCheck(Properties adminProperties) {
    this.admin = Admin.create(adminProperties);
  }

  /** Null while the broker answers; else what went wrong the last time it was asked. */
  synchronized String problem() {
    long now = System.nanoTime();
    if (!checked || now - checkedAt >= EVERY_MS * 1_000_000) {
      checked = true;
      checkedAt = now;
      try {
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
            .nodes()
            .get(TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
        problem = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem = "interrupted while asking the broker";
      } catch (Exception e) {
        problem = "the broker does not answer (" + Preflight.rootMessage(e) + ")";
      }
    }
    return problem;
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(1));
  }
}
