package dev.spillway.chat.flow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each step's timing at INFO and its inputs/outputs at DEBUG (they hold user questions and
 * document text, so they stay out of default logs). Stateless, thread-safe.
 */
public final class LoggingFlowListener implements FlowListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.spillway.chat.flow");

    @Override
    public void stepFinished(StepRecord record) {
        LOG.info("chat flow step {} took {} ms", record.step(), record.elapsed().toMillis());
        LOG.debug("chat flow step {} inputs={} outputs={}", record.step(), record.inputs(), record.outputs());
    }

    @Override
    public void stepFailed(String step, RuntimeException error) {
        LOG.warn("chat flow step {} failed: {}", step, error.getMessage());
    }
}
