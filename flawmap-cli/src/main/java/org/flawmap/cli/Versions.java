package org.flawmap.cli;

import picocli.CommandLine.IVersionProvider;

/** Version of this build, from the jar manifest (unknown when run from classes). */
public final class Versions implements IVersionProvider {

  public static String flawmap() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "flawmap " + flawmap(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
