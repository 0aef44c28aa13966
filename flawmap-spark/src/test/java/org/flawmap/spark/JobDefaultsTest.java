package org.flawmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Spark configuration defaults, URL detection and mask names, without a Spark session. */
class JobDefaultsTest {

  @Test
  void noMasterMeansLoopbackLocalMode() {
    SparkConf conf = ScoreImagesJob.defaultConf();
    assertEquals("local[*]", conf.get("spark.master"));
    assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
    assertEquals("127.0.0.1", conf.get("spark.driver.host"));
    assertEquals("false", conf.get("spark.ui.enabled"));
  }

  @Test
  void configuredLocalMasterStaysOnLoopback() {
    System.setProperty("spark.master", "local[3]");
    System.setProperty("spark.ui.enabled", "true");
    try {
      SparkConf conf = ScoreImagesJob.defaultConf();
      assertEquals("local[3]", conf.get("spark.master"));
      assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
      assertEquals("true", conf.get("spark.ui.enabled"));
    } finally {
      System.clearProperty("spark.master");
      System.clearProperty("spark.ui.enabled");
    }
  }

  @Test
  void clusterMasterKeepsSparkDefaults() {
    System.setProperty("spark.master", "yarn");
    try {
      SparkConf conf = ScoreImagesJob.defaultConf();
      assertEquals("yarn", conf.get("spark.master"));
      assertFalse(conf.contains("spark.driver.bindAddress"));
      assertFalse(conf.contains("spark.ui.enabled"));
    } finally {
      System.clearProperty("spark.master");
    }
  }

  @Test
  void urlsHaveSchemes() {
    assertTrue(ScoreImagesJob.isUrl("hdfs:///scores/today.parquet"));
    assertTrue(ScoreImagesJob.isUrl("s3a://bucket/list.parquet"));
    assertFalse(ScoreImagesJob.isUrl("/data/list.parquet"));
    assertFalse(ScoreImagesJob.isUrl("scores.parquet"));
  }

  @Test
  void maskNamesFollowInputKind() {
    assertEquals("good/001", MaskNames.of("/data/test/good/001.png", "/data/test"));
    assertEquals("data/a/001", MaskNames.of("/data/a/001.png", null));
    assertEquals("data/a/no_extension", MaskNames.of("/data/a/no_extension", null));
  }
}
