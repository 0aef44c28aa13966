package org.flawmap.service;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps inspections in progress. A request over the cap is rejected at once with 503 and
 * {@code Retry-After} rather than queued, so load beyond capacity costs no memory.
 */
final class ConcurrencyLimiter {

  private final Semaphore permits;
  private final int max;
  private final int retryAfterSeconds;

  ConcurrencyLimiter(int max, int retryAfterSeconds) {
    this.permits = new Semaphore(max);
    this.max = max;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** A held slot; closing it more than once releases it once. */
  final class Permit implements AutoCloseable {
    private final AtomicBoolean released = new AtomicBoolean();

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        permits.release();
      }
    }
  }

  /** Takes a slot, or throws 503 {@code overloaded} when all are taken. */
  Permit acquire() throws ApiException {
    if (!permits.tryAcquire()) {
      throw new ApiException(503, "overloaded",
          ("all %d inspection slots are busy; retry after %d s, or start the service with a"
                  + " higher --max-concurrent").formatted(max, retryAfterSeconds),
          Map.of("Retry-After", Integer.toString(retryAfterSeconds)), null);
    }
    return new Permit();
  }

  int available() {
    return permits.availablePermits();
  }
}
