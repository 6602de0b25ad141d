package dev.spillway.chat.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class FlowDefinitionTest {
    @Test
    void builtInFlowDeclaresTheFourStepsInOrder() {
        FlowDefinition flow = FlowDefinition.builtIn();
        assertThat(flow.steps()).extracting(FlowDefinition.StepSpec::name)
                .containsExactly("rewrite", "retrieve", "answer", "follow-ups");
        assertThat(flow.step("answer").orElseThrow().system().text()).contains("Sources:", "{{sources}}");
        assertThat(flow.step("rewrite").orElseThrow().temperature()).contains(0.0);
    }

    @Test
    void unknownPlaceholderIsReportedAtItsStep() {
        String yaml = "steps:\n  - name: retrieve\n  - name: answer\n    system: 'use {{sauces}}'\n";
        assertThatThrownBy(() -> FlowDefinition.parse(yaml, "my-flow.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("my-flow.yaml: steps[1].system: unknown placeholders [sauces]");
    }

    @Test
    void stepsOutOfOrderAreRejected() {
        String yaml = "steps:\n  - name: answer\n  - name: retrieve\n";
        assertThatThrownBy(() -> FlowDefinition.parse(yaml, "f.yaml"))
                .hasMessageContaining("steps: must run in the order");
    }

    @Test
    void optionalStepsMayBeLeftOut() {
        FlowDefinition flow = FlowDefinition.parse("steps:\n  - name: retrieve\n  - name: answer\n", "f.yaml");
        assertThat(flow.step("rewrite")).isEmpty();
    }
}
