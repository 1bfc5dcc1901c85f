package org.streamtagger.trainer.tagger;

/** The trainer's version, from the jar's manifest (or "dev" when run from classes). */
public final class TrainerVersion {
  private TrainerVersion() {}

  public static String get() {
    String v = TrainerVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
