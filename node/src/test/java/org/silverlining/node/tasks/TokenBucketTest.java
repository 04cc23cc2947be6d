package org.silverlining.node.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong nanos = new AtomicLong();

  private int takeAll(TokenBucket b) {
    int n = 0;
    while (b.tryTake()) {
      n++;
    }
    return n;
  }

  @Test
  void aFullBucketLetsBucketSizeTasksStartAtOnce() {
    assertThat(takeAll(new TokenBucket(5, 3, nanos::get))).isEqualTo(3);
  }

  @Test
  void tokensComeBackAtTheRate() {
    TokenBucket b = new TokenBucket(10, 5, nanos::get);
    takeAll(b);

    nanos.addAndGet(250_000_000); // 0.25 s at 10/s
    assertThat(takeAll(b)).isEqualTo(2);
    nanos.addAndGet(100_000_000);
    assertThat(takeAll(b)).isEqualTo(1);
  }

  @Test
  void overASecondTheRateIsKept() {
    TokenBucket b = new TokenBucket(20, 1, nanos::get);
    int started = 0;
    for (int ms = 0; ms < 1000; ms++) {
      started += takeAll(b);
      nanos.addAndGet(1_000_000);
    }
    assertThat(started).isBetween(20, 21);
  }

  @Test
  void aQuietBucketHoldsNoMoreThanItsSize() {
    TokenBucket b = new TokenBucket(100, 4, nanos::get);
    takeAll(b);
    nanos.addAndGet(60_000_000_000L);
    assertThat(takeAll(b)).isEqualTo(4);
  }

  @Test
  void aTokenGivenBackCanBeTakenAgain() {
    TokenBucket b = new TokenBucket(1, 1, nanos::get);
    assertThat(b.tryTake()).isTrue();
    b.giveBack();
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
  }
}
