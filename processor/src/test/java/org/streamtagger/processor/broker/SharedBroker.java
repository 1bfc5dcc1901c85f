package org.streamtagger.processor.broker;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.streamtagger.broker.EmbeddedKafka;

/**
 * One embedded broker for every test class that uses this extension, handed to any {@link
 * EmbeddedKafka} parameter: started for the first, stopped by JUnit when the whole run ends (it is
 * kept in the root context's store). Each test uses its own topics and application ids, so sharing
 * is safe.
 */
final class SharedBroker implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedBroker.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return kafka(context);
  }

  private static EmbeddedKafka kafka(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", k -> new Resource(), Resource.class)
        .kafka;
  }

  /** Closes the broker when JUnit closes the root store. */
  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    final EmbeddedKafka kafka;

    Resource() {
      try {
        kafka = EmbeddedKafka.start();
      } catch (Exception e) {
        throw new IllegalStateException("the embedded broker did not start", e);
      }
    }

    @Override
    public void close() {
      kafka.close();
    }
  }
}
