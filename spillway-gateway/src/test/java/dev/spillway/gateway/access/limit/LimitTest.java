package dev.spillway.gateway.access.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimitTest {
    @Test
    void counterNameIsTheHashTaggedSubjectThenMetricAndWindowInLowerCase() {
        assertThat(new Limit("app:chat", Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK).counterName())
                .isEqualTo("{app:chat}:tokens:minute");
        assertThat(new Limit("key:k1", Metric.MICRO_USD, Window.MONTH, 5, FailMode.CLOSED).counterName())
                .isEqualTo("{key:k1}:micro_usd:month");
        assertThat(new Limit("team:t", Metric.REQUESTS, Window.DAY, 5, FailMode.CLOSED).counterName())
                .isEqualTo("{team:t}:requests:day");
    }
}
