package dev.spillway.gateway.budget;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The body a budget webhook receives: {@code json} (Spillway's own event), {@code teams} (an
 * Office 365 connector MessageCard, which Teams incoming webhooks and Workflows accept) or
 * {@code slack} (an incoming-webhook message with {@code text} and Block Kit {@code blocks}).
 */
public enum WebhookFormat {
    JSON {
        @Override
        ObjectNode body(BudgetAlert a) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", "spillway.budget.threshold");
            o.put("id", a.id());
            o.put("app", a.app());
            o.put("period", a.period());
            o.put("threshold_percent", a.thresholdPercent());
            o.put("used_percent", a.usedPercent());
            o.put("spent_usd", usd(a.spentMicroUsd()));
            o.put("budget_usd", usd(a.budgetMicroUsd()));
            o.put("raised_at", a.raisedAt().toString());
            return o;
        }
    },
    TEAMS {
        @Override
        ObjectNode body(BudgetAlert a) {
            // MessageCard reference: learn.microsoft.com/outlook/actionable-messages/message-card-reference
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("@type", "MessageCard");
            o.put("@context", "https://schema.org/extensions");
            o.put("summary", title(a));
            o.put("themeColor", a.thresholdPercent() >= 100 ? "D13438" : "FFB900");
            o.put("title", title(a));
            ObjectNode section = o.putArray("sections").addObject();
            section.put("text", sentence(a));
            ArrayNode facts = section.putArray("facts");
            fact(facts, "App", a.app());
            fact(facts, "Period", a.period());
            fact(facts, "Spent", "$" + usd(a.spentMicroUsd()));
            fact(facts, "Budget", "$" + usd(a.budgetMicroUsd()));
            fact(facts, "Warning id", a.id());
            return o;
        }
    },
    SLACK {
        @Override
        ObjectNode body(BudgetAlert a) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("text", title(a) + ": " + sentence(a));
            ArrayNode blocks = o.putArray("blocks");
            ObjectNode header = blocks.addObject().put("type", "header");
            header.putObject("text").put("type", "plain_text").put("text", title(a));
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text", sentence(a));
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements").addObject().put("type", "mrkdwn").put("text", "id `" + a.id() + "`");
            return o;
        }
    };

    abstract ObjectNode body(BudgetAlert alert);

    /** The body as bytes, ready to post. */
    public byte[] payload(BudgetAlert alert) {
        return Json.MAPPER.valueToTree(body(alert)).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String title(BudgetAlert a) {
        return "Budget " + a.thresholdPercent() + "% reached: " + a.app();
    }

    private static String sentence(BudgetAlert a) {
        return "App " + a.app() + " has spent $" + usd(a.spentMicroUsd()) + " of its $" + usd(a.budgetMicroUsd())
                + " budget for " + a.period() + " (" + a.usedPercent() + "%)"
                + (a.thresholdPercent() >= 100 ? "; further requests are refused until the month ends." : ".");
    }

    private static void fact(ArrayNode facts, String name, String value) {
        facts.addObject().put("name", name).put("value", value);
    }

    /** Micro-dollars as dollars with cents, more digits only when the amount needs them. */
    static String usd(long micros) {
        BigDecimal v = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return v.scale() < 2 ? v.setScale(2, RoundingMode.UNNECESSARY).toPlainString() : v.toPlainString();
    }
}
