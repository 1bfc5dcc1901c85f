package org.streamtagger.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.streamtagger.avro.TaggedSentence;
import org.streamtagger.broker.EmbeddedKafka;
import org.streamtagger.corpus.ConlluReader;
import org.streamtagger.processor.config.ProcessorConfig;
import org.streamtagger.processor.serde.SentenceCodec;
import org.streamtagger.processor.topology.TaggingService;
import org.streamtagger.tagging.inference.OnnxTagger;
import org.streamtagger.trainer.cli.DataLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tagger bench stream}: the whole pipeline on the embedded broker. Unreported warm-up runs
 * until the JIT compiler is quiet ({@link JitActivity}), then sustained throughput (input topic
 * pre-loaded; the rate from the processor's first tagged batch to its last, and the wall-clock rate
 * from start-up to the last record) for 1 and 2 stream threads under at_least_once and
 * exactly_once_v2, each 1-thread tagging run right after the model alone (same options and batch
 * size, no Kafka), the same with a pass-through instead of the model, and produce-to-output latency
 * at half the sustained rate of as many threads, each latency run right after the model alone fed
 * at the same rate ({@link PacedInference}).
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description =
        "End-to-end stream benchmark on an embedded broker: EWT test sentences as raw text,"
            + " throughput (1 and 2 threads, at_least_once and exactly_once_v2, and a pass-through"
            + " for comparison), each as a fraction of the model alone, and latency p50/p99 at"
            + " half load.")
public final class BenchStreamCommand implements Callable<Integer> {
  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "CoNLL-U whose # text lines are sent (default: EWT test).")
  Path data;

  @Option(
      names = "--copies",
      defaultValue = "3",
      description = "Times the sentences are sent per run.")
  int copies;

  @Option(
      names = "--latency-seconds",
      defaultValue = "20",
      description = "Length of the latency run (after its warm-up).")
  int latencySeconds;

  @Option(
      names = "--latency-rate",
      defaultValue = "0",
      description =
          "Measure latency only, at this many sentences/s (0: all runs, latency at half the"
              + " sustained rate).")
  double latencyRate;

  @Option(
      names = "--latency-pass-through",
      description =
          "Run the --latency-rate run with the tagging step replaced by a pass-through (what Kafka"
              + " alone costs at that rate).")
  boolean latencyPassThrough;

  @Option(
      names = "--latency-threads",
      defaultValue = "1",
      description = "Stream threads of the --latency-rate run.")
  int latencyThreads;

  /** The order in which a latency run sends the sentences. */
  enum Order {
    shuffled,
    document
  }

  @Option(
      names = "--latency-order",
      defaultValue = "shuffled",
      description =
          "Order of the sentences in the latency runs: shuffled (a fixed shuffle: every second"
              + " carries about the average tokens, so the load is what the rate says) or document"
              + " (the file's order: runs of long sentences carry up to 1.75x the average tokens"
              + " per second; default: ${DEFAULT-VALUE}).")
  Order latencyOrder;

  @Option(
      names = "--warm-up-seconds",
      defaultValue = "45",
      description =
          "Sending at the latency rate before measuring starts, so that the JIT compiler is done"
              + " and does not take a core from the processor.")
  int warmUpSeconds;

  @Option(
      names = "--broker-process",
      description =
          "Run the broker in a child JVM instead of in the processor's (its heap, collector and"
              + " threads apart; the cores are still shared).")
  boolean brokerProcess;

  @Option(
      names = "--sustained-only",
      description =
          "Only the model alone and the sustained rate with 1 thread under at_least_once, warmed"
              + " up with that pipeline only (for comparing settings quickly).")
  boolean sustainedOnly;

  @Option(
      names = "--latency-trace",
      paramLabel = "FILE",
      description =
          "Write each measured record of the latency runs as CSV (run, produced_ms, latency_ms,"
              + " to_tagged_ms, batch_size, model_call_us), to see when the slow ones happened.")
  Path latencyTrace;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  /** Warm: the JIT compiler takes less than this share of a core during a run. */
  private static final double WARM_JIT_SHARE = 0.35;

  /** Fixed, so that every shuffled latency run sends the same sequence. */
  private static final long LATENCY_SHUFFLE_SEED = 20261129L;

  private int run;
  private final JitActivity jit = new JitActivity();
  private final StreamThreadCpu streamCpu = new StreamThreadCpu();

  @Override
  public Integer call() throws Exception {
    Path file = data != null ? data : DataLocation.ewt("test");
    List<String> texts = new ArrayList<>();
    List<List<String>> forms = new ArrayList<>();
    long tokens = 0;
    for (var s : ConlluReader.read(file)) {
      if (s.text() != null) {
        texts.add(s.text());
        forms.add(s.forms());
        tokens += s.size();
      }
    }
    List<Map<String, Object>> results = new ArrayList<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(brokerProcess)) {
      if (latencyRate > 0) {
        results.add(latency(kafka, texts, latencyRate, latencyThreads, latencyPassThrough));
        print(file, texts, results);
        return 0;
      }
      // Unreported runs of every kind of pipeline first, until the JIT compiler has compiled
      // what they run: otherwise it takes a core from whichever run comes first.
      warmUp(kafka, texts, tokens);
      if (sustainedOnly) {
        results.addAll(againstModelAlone(kafka, texts, forms, tokens, "at_least_once"));
      } else {
        allRuns(kafka, texts, forms, tokens, results);
      }
    }
    print(file, texts, results);
    return 0;
  }

  /**
   * Unreported rounds of every kind of pipeline the benchmark measures, until a round during whose
   * runs the JIT compiler took under a third of a core on average (two to four rounds of EWT test
   * here), or four minutes.
   */
  private void warmUp(EmbeddedKafka kafka, List<String> texts, long tokens) throws Exception {
    List<String> guarantees =
        sustainedOnly ? List.of("at_least_once") : List.of("at_least_once", "exactly_once_v2");
    List<Boolean> pipelines = sustainedOnly ? List.of(false) : List.of(false, true);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    for (int round = 1; ; round++) {
      double compiling = 0;
      double running = 0;
      for (String guarantee : guarantees) {
        for (boolean passThrough : pipelines) {
          Map<String, Object> r = throughput(kafka, texts, tokens, guarantee, 1, passThrough);
          double seconds = (Double) r.get("seconds");
          compiling += (Double) r.get("jit_busy") * seconds;
          running += seconds;
        }
      }
      double share = compiling / running;
      System.err.printf(
          "warm-up round %d (not reported): the JIT compiler took %.2f cores%n", round, share);
      if (share < WARM_JIT_SHARE || System.nanoTime() > deadline) {
        return;
      }
    }
  }

  /** Every throughput run, then the latency runs, into {@code results} in that order. */
  private void allRuns(
      EmbeddedKafka kafka,
      List<String> texts,
      List<List<String>> forms,
      long tokens,
      List<Map<String, Object>> results)
      throws Exception {
    // Half load is half of what was just measured, with as many stream threads: this machine's
    // speed drifts over minutes, and a rate from an earlier run could be most of the capacity by
    // the time it is sent.
    List<Map<String, Object>> latencies = new ArrayList<>();
    for (int threads : List.of(1, 2)) {
      List<Map<String, Object>> runs =
          threads == 1
              ? againstModelAlone(kafka, texts, forms, tokens, "at_least_once")
              : List.of(throughput(kafka, texts, tokens, "at_least_once", threads, false));
      results.addAll(runs);
      Map<String, Object> sustained = runs.get(runs.size() - 1);
      latencies.add(
          latency(kafka, texts, (Double) sustained.get("sentences_per_s") / 2, threads, false));
    }
    for (int threads : List.of(1, 2)) {
      results.add(throughput(kafka, texts, tokens, "at_least_once", threads, true));
    }
    results.addAll(againstModelAlone(kafka, texts, forms, tokens, "exactly_once_v2"));
    results.add(throughput(kafka, texts, tokens, "exactly_once_v2", 1, true));
    for (boolean passThrough : List.of(false, true)) {
      results.add(throughput(kafka, texts, tokens, "exactly_once_v2", 2, passThrough));
    }
    results.addAll(latencies);
  }

  /**
   * The model alone, then a 1-thread tagging run against it ({@code vs_inference_alone}): one
   * stream thread against one model-call thread, the same cores at work. Each run gets its own
   * measurement of the model alone because this machine's speed drifts by tens of percent within
   * minutes, and a figure from the start of a quarter-hour benchmark would measure the drift.
   */
  private List<Map<String, Object>> againstModelAlone(
      EmbeddedKafka kafka,
      List<String> texts,
      List<List<String>> forms,
      long tokens,
      String guarantee)
      throws Exception {
    Map<String, Object> alone = inferenceOnly(ProcessorConfig.load(null, System.getenv()), forms);
    Map<String, Object> tagged = throughput(kafka, texts, tokens, guarantee, 1, false);
    tagged.put(
        "vs_inference_alone",
        (Double) tagged.get("tokens_per_s") / (Double) alone.get("tokens_per_s"));
    return List.of(alone, tagged);
  }

  private void print(Path file, List<String> texts, List<Map<String, Object>> results)
      throws Exception {
    if (json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("data", file.toString());
      out.put("broker", brokerProcess ? "child JVM" : "in the processor's JVM");
      out.put("sentences_per_run", texts.size() * copies);
      out.put("results", results);
      System.out.println(new ObjectMapper().writeValueAsString(out));
    } else {
      results.forEach(System.out::println);
    }
  }

  private ProcessorConfig config(EmbeddedKafka kafka, String prefix, String guarantee, int threads)
      throws Exception {
    // Settings from the environment (e.g. TAGGER_BATCH_MAX_WAIT_MS) apply; the broker, the
    // application id, the topics, the guarantee and the threads are the benchmark's.
    kafka.createTopics(List.of(prefix + "-in", prefix + "-out", prefix + "-err"), 2);
    return ProcessorConfig.load(
        null,
        System.getenv(),
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "application.id",
            prefix,
            "tagger.input.topic",
            prefix + "-in",
            "tagger.output.topic",
            prefix + "-out",
            "tagger.error.topic",
            prefix + "-err",
            "processing.guarantee",
            guarantee,
            "num.stream.threads",
            Integer.toString(threads)));
  }

  private Map<String, Object> throughput(
      EmbeddedKafka kafka,
      List<String> texts,
      long tokens,
      String guarantee,
      int threads,
      boolean passThrough)
      throws Exception {
    String prefix = "bench" + (++run);
    ProcessorConfig config = config(kafka, prefix, guarantee, threads);
    int n = texts.size() * copies;
    try (KafkaProducer<byte[], byte[]> producer = BenchClients.producer(kafka)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        for (int i = 0; i < texts.size(); i++) {
          acks.add(producer.send(BenchClients.sentence(prefix + "-in", c + "-" + i, texts.get(i))));
        }
      }
      for (Future<RecordMetadata> a : acks) {
        a.get(60, TimeUnit.SECONDS);
      }
    }
    double jitWait = jit.awaitQuiet(Duration.ofSeconds(30));
    try (TaggingService service =
            passThrough
                ? TaggingService.start(config, new PassThroughTagger(), null)
                : TaggingService.start(config);
        KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(kafka, prefix + "-out")) {
      // The clock starts when the processor is running: start-up and rebalancing are not
      // throughput. The input is all there already, so from here it works flat out.
      service.awaitRunning(Duration.ofSeconds(60));
      jit.start();
      streamCpu.start();
      long start = System.nanoTime();
      int received = 0;
      // The processor's own clock (tagged_ms in each output) gives the steady rate: from its first
      // batch to its last, without the start-up (first fetch, JIT) that the wall clock includes.
      long firstTagged = Long.MAX_VALUE;
      long lastTagged = Long.MIN_VALUE;
      int inFirstBatch = 0;
      long batchSizes = 0;
      double modelMicros = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (received < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TaggedSentence out = decodeTagged(record.value());
          long tagged = out.getTaggedMs();
          batchSizes += out.getBatchSize();
          modelMicros += (double) out.getInferenceUs() / out.getBatchSize();
          if (tagged < firstTagged) {
            firstTagged = tagged;
            inFirstBatch = 0;
          }
          inFirstBatch += tagged == firstTagged ? 1 : 0;
          lastTagged = Math.max(lastTagged, tagged);
          received++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double steadySeconds = (lastTagged - firstTagged) / 1e3;
      double steadyRate = steadySeconds > 0 ? (received - inFirstBatch) / steadySeconds : 0;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("pipeline", passThrough ? "pass-through" : "tagging");
      r.put("guarantee", guarantee);
      r.put("threads", threads);
      r.put("sentences", received);
      r.put("seconds", seconds);
      r.put("sentences_per_s", steadyRate);
      r.put("tokens_per_s", tokens * (double) copies * steadyRate / n);
      // From the moment the service was running, start-up included.
      r.put("wall_sentences_per_s", received / seconds);
      // Per sentence: the size of the batch it was tagged in.
      r.put("batch_size_mean", received == 0 ? 0 : (double) batchSizes / received);
      // Time in model calls (tokenizing included), summed over all stream threads: the rest of
      // the stream's time is Kafka, decoding and encoding.
      r.put("model_seconds", modelMicros / 1e6);
      // Cores' worth of JIT compiling during the run, after waiting this long for it to go quiet.
      r.put("jit_busy", jit.busyShare());
      r.put("jit_wait_seconds", jitWait);
      // Each stream thread's CPU share, model calls included.
      r.put("stream_thread_cpu", streamCpu.busyShare());
      System.err.println(r);
      return r;
    }
  }

  private Map<String, Object> latency(
      EmbeddedKafka kafka, List<String> texts, double rate, int threads, boolean passThrough)
      throws Exception {
    String prefix = "latency" + (++run);
    ProcessorConfig config = config(kafka, prefix, "at_least_once", threads);
    List<String> sequence = inLatencyOrder(texts, latencyOrder);
    // Right before the stream, as with throughput: the machine's speed drifts within minutes.
    Map<String, Object> alone =
        passThrough ? null : pacedModelAlone(config, sequence, rate, threads);
    List<Long> latencies = new ArrayList<>();
    List<Long> toTagged = new ArrayList<>();
    List<Long> batchSizes = new ArrayList<>();
    List<Long> sentAt = new ArrayList<>();
    List<Long> modelMicros = new ArrayList<>();
    double warmUp = 0;
    try (TaggingService service =
            passThrough
                ? TaggingService.start(config, new PassThroughTagger(), null)
                : TaggingService.start(config);
        KafkaProducer<byte[], byte[]> producer = BenchClients.producer(kafka);
        KafkaConsumer<byte[], byte[]> consumer = BenchClients.consumer(kafka, prefix + "-out")) {
      service.awaitRunning(Duration.ofSeconds(60));
      consumer.poll(Duration.ofMillis(500)); // join the group before the clock starts
      long intervalNanos = (long) (1e9 / rate);
      // The reader runs on its own thread, blocking in poll, so that measuring does not spin a
      // core that the processor needs; the sender paces itself by sleeping.
      java.util.concurrent.atomic.AtomicInteger warmLeft =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean reading =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      List<Long> collected = Collections.synchronizedList(latencies);
      Thread reader =
          new Thread(
              () -> {
                while (reading.get()) {
                  for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    // Decoded during the warm-up too, so that measuring starts with warm code.
                    TaggedSentence t = decodeTagged(r.value());
                    if (warmLeft.get() > 0) {
                      warmLeft.decrementAndGet();
                      continue;
                    }
                    synchronized (collected) {
                      collected.add(now - r.timestamp());
                      toTagged.add(t.getTaggedMs() - r.timestamp());
                      batchSizes.add((long) t.getBatchSize());
                      sentAt.add(r.timestamp());
                      modelMicros.add(t.getInferenceUs());
                    }
                  }
                }
              },
              "latency-reader");
      reader.start();
      long start = System.nanoTime();
      // The warm-up lasts at least --warm-up-seconds and then until the JIT compiler has gone
      // quiet (at most a minute more): measuring while it compiles measures the compiler.
      long warmEnd = start + TimeUnit.SECONDS.toNanos(warmUpSeconds);
      long warmLimit = warmEnd + TimeUnit.SECONDS.toNanos(60);
      long end = Long.MAX_VALUE;
      long next = start;
      long windowEnd = 0;
      int sent = 0; // measured
      // The warm-up sends the same mix of sentences and keys as the measured part: warming up on
      // one repeated sentence would leave the JIT compiler's code specialised for it.
      for (int i = 0; next < end; i++) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        if (end == Long.MAX_VALUE && next >= warmEnd && next >= windowEnd) {
          if (windowEnd > 0 && (jit.quiet() || next >= warmLimit)) {
            end = next + TimeUnit.SECONDS.toNanos(latencySeconds);
            warmUp = (next - start) / 1e9;
            jit.start();
            streamCpu.start();
          } else {
            jit.start();
            windowEnd = next + JitActivity.WINDOW.toNanos();
          }
        }
        producer.send(
            BenchClients.sentence(prefix + "-in", "l" + i, sequence.get(i % sequence.size())));
        if (end == Long.MAX_VALUE) {
          warmLeft.incrementAndGet();
        } else {
          sent++;
        }
        next += intervalNanos;
      }
      double jitBusy = jit.busyShare();
      double streamBusy = streamCpu.busyShare();
      long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (collected.size() < sent && System.nanoTime() < drain) {
        Thread.sleep(20);
      }
      reading.set(false);
      reader.join();
      if (latencyTrace != null) {
        writeTrace(prefix, sentAt, latencies, toTagged, batchSizes, modelMicros);
      }
      long[] sorted = sorted(latencies);
      long[] tagged = sorted(toTagged);
      long[] batches = sorted(batchSizes);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("pipeline", passThrough ? "pass-through latency" : "tagging latency");
      r.put("guarantee", "at_least_once");
      r.put("threads", threads);
      r.put("rate_sentences_per_s", rate);
      r.put("order", latencyOrder.name());
      r.put("sent", sent);
      r.put("received", sorted.length);
      r.put("warm_up_seconds", warmUp);
      // Cores' worth of JIT compiling during the measurement (on top of the stream's work).
      r.put("jit_busy", jitBusy);
      r.put("p50_ms", Percentiles.of(sorted, 0.50));
      r.put("p99_ms", Percentiles.of(sorted, 0.99));
      r.put("max_ms", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
      // Where the time goes: produced -> tagged (fetch, buffer wait, model) and the rest (the
      // output's way through the producer, the broker and the reader's fetch).
      r.put("to_tagged_p50_ms", Percentiles.of(tagged, 0.50));
      r.put("to_tagged_p99_ms", Percentiles.of(tagged, 0.99));
      r.put("batch_size_p50", Percentiles.of(batches, 0.50));
      r.put("batch_size_p99", Percentiles.of(batches, 0.99));
      // The share of the measured time the stream threads spent in model calls: near 1 means the
      // model alone keeps up with the rate only just, and queues follow any stall.
      double busyMicros = 0;
      for (int i = 0; i < modelMicros.size(); i++) {
        busyMicros += (double) modelMicros.get(i) / batchSizes.get(i);
      }
      r.put("model_busy", busyMicros / (threads * latencySeconds * 1e6));
      // The stream threads' CPU share (model calls included): near 1, they are saturated.
      r.put("stream_thread_cpu", streamBusy);
      if (alone != null) {
        // The model's own queue at this rate: the stream cannot do better.
        for (String k : List.of("p50_ms", "p99_ms", "max_ms", "mean_batch", "model_busy")) {
          r.put("inference_alone_" + k, alone.get(k));
        }
      }
      System.err.println(r);
      return r;
    }
  }

  /**
   * The sentences in the latency runs' order. EWT test keeps each document's sentences together,
   * and some documents are runs of long sentences: sent in that order at a fixed sentence rate, one
   * second can carry 0.7x the average tokens and another 1.75x, so "half load" would be half only
   * on average.
   */
  static List<String> inLatencyOrder(List<String> texts, Order order) {
    if (order == Order.document) {
      return texts;
    }
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(LATENCY_SHUFFLE_SEED));
    return shuffled;
  }

  /**
   * The processor's model fed at {@code rate} with no Kafka ({@link PacedInference}): 10 s of
   * warm-up, then as long as the stream's latency run.
   */
  private Map<String, Object> pacedModelAlone(
      ProcessorConfig config, List<String> texts, double rate, int threads) throws Exception {
    try (OnnxTagger tagger = TaggingService.loadModel(config)) {
      Map<String, Object> r =
          new PacedInference(tagger, texts, config.batching().maxRecords())
              .run(rate, threads, Duration.ofSeconds(10), Duration.ofSeconds(latencySeconds))
              .toMap(rate);
      System.err.println(r);
      return r;
    }
  }

  /**
   * The processor's model (same file, same inference options and batch size) on the same sentences,
   * pre-tokenized, with no Kafka: a warm-up pass, then the median of three timed passes.
   */
  private static Map<String, Object> inferenceOnly(ProcessorConfig config, List<List<String>> forms)
      throws Exception {
    int batch = config.batching().maxRecords();
    long tokens = forms.stream().mapToLong(List::size).sum();
    double[] seconds = new double[3];
    try (OnnxTagger tagger = TaggingService.loadModel(config)) {
      for (int pass = -1; pass < seconds.length; pass++) {
        long start = System.nanoTime();
        for (int i = 0; i < forms.size(); i += batch) {
          tagger.tag(forms.subList(i, Math.min(forms.size(), i + batch)));
        }
        if (pass >= 0) {
          seconds[pass] = (System.nanoTime() - start) / 1e9;
        }
      }
    }
    Arrays.sort(seconds);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pipeline", "inference alone");
    r.put("batch", batch);
    r.put("intra_op_threads", config.inference().intraOpThreads());
    r.put("sentences_per_s", forms.size() / seconds[1]);
    r.put("tokens_per_s", tokens / seconds[1]);
    System.err.println(r);
    return r;
  }

  private void writeTrace(
      String runName,
      List<Long> sent,
      List<Long> latency,
      List<Long> tagged,
      List<Long> batch,
      List<Long> modelMicros)
      throws IOException {
    boolean fresh = !Files.exists(latencyTrace);
    try (var out =
        Files.newBufferedWriter(
            latencyTrace, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      if (fresh) {
        out.write("run,produced_ms,latency_ms,to_tagged_ms,batch_size,model_call_us\n");
      }
      for (int i = 0; i < sent.size(); i++) {
        out.write(
            String.join(
                    ",",
                    runName,
                    sent.get(i).toString(),
                    latency.get(i).toString(),
                    tagged.get(i).toString(),
                    batch.get(i).toString(),
                    modelMicros.get(i).toString())
                + "\n");
      }
    }
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static TaggedSentence decodeTagged(byte[] value) {
    try {
      return SentenceCodec.decodeTagged(value);
    } catch (IOException e) {
      throw new IllegalStateException("undecodable output record: " + e.getMessage(), e);
    }
  }
}
