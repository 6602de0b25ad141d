import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The batch-lane benchmark's RabbitMQ app (run by batchlane.py with the jar's lib/ on the class
 * path, Java's single-file launch): publishes N chat requests with an app key to the gateway's
 * exchange, each confirmed, and waits (bounded) for their N answers on its own reply queue.
 * Prints one JSON line: answers by status and seconds taken. `delete` removes the exchange and
 * the deployment's queue after a run.
 *
 *   java -cp 'spillway-cli/target/lib/*' RabbitLines.java run URI EXCHANGE DEPLOYMENT KEY N MAX_TOKENS TIMEOUT_S
 *   java -cp 'spillway-cli/target/lib/*' RabbitLines.java delete URI EXCHANGE DEPLOYMENT
 */
public class RabbitLines {
    public static void main(String[] a) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(a[1]);
        try (Connection c = f.newConnection("spillway-batch-lane-bench"); Channel ch = c.createChannel()) {
            if (a[0].equals("delete")) {
                ch.queueDelete(a[2] + "." + a[3]);
                ch.exchangeDelete(a[2]);
                return;
            }
            run(ch, a[2], a[3], a[4], Integer.parseInt(a[5]), Integer.parseInt(a[6]), Integer.parseInt(a[7]));
        }
    }

    static void run(Channel ch, String exchange, String deployment, String key, int n, int maxTokens, int timeout)
            throws Exception {
        String replies = ch.queueDeclare().getQueue();
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(n);
        DeliverCallback onReply = (tag, d) -> {
            if (seen.put(d.getProperties().getCorrelationId(), true) != null) {
                statuses.merge("duplicate", 1, Integer::sum);
                return;
            }
            statuses.merge(String.valueOf(d.getProperties().getHeaders().get("status")), 1, Integer::sum);
            done.countDown();
        };
        ch.basicConsume(replies, true, onReply, tag -> { });
        long start = System.nanoTime();
        ch.confirmSelect();
        for (int i = 0; i < n; i++) {
            AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().replyTo(replies).correlationId("line-" + i)
                    .contentType("application/json").deliveryMode(2).headers(Map.of("api-key", key)).build();
            String body = "{\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"Summarize item " + i + " in a paragraph.\"}]}";
            ch.basicPublish(exchange, deployment, p, body.getBytes(StandardCharsets.UTF_8));
        }
        ch.waitForConfirmsOrDie(60_000);
        boolean all = done.await(timeout, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder json = new StringBuilder("{\"published\":" + n + ",\"answered\":" + seen.size() + ",\"complete\":"
                + all + ",\"seconds\":" + String.format("%.1f", seconds) + ",\"statuses\":{");
        String sep = "";
        for (Map.Entry<String, Integer> e : new TreeMap<>(statuses).entrySet()) {
            json.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
            sep = ",";
        }
        System.out.println(json.append("}}"));
    }
}
