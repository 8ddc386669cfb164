import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Drives Stripe webhook deliveries, signed as Stripe signs them, against a running payment-service
 * (script/server, local profile) and prints how many are applied per second. It opens the checkouts
 * first (not timed), then delivers one checkout.session.completed per checkout (each answer 200 means
 * the fact is stored: the endpoint applies it before answering), then delivers every one again
 * (Stripe's retries), which must add nothing.
 *
 * Run: script/benchmark webhooks [checkouts] [concurrency]
 */
public class WebhookBenchmark {

    private static final String SERVICE = System.getenv().getOrDefault("NHSV2_PAYMENT_URL", "http://localhost:8082");
    private static final String TOKEN_URL = System.getenv().getOrDefault("NHSV2_TOKEN_URL",
            "http://localhost:8180/realms/nhsv2/protocol/openid-connect/token");
    /** The local profile's fake secret (payment-service application-local.yml); STRIPE_WEBHOOK_SECRET if set. */
    private static final String SECRET = System.getenv().getOrDefault("STRIPE_WEBHOOK_SECRET",
            "whsec_fake_local_webhook_secret_000000000");
    private static final String CHECKOUT = "{\"facilityId\":\"11111111-1111-4111-8111-111111111111\","
            + "\"patientId\":\"e0000000-0000-4000-8000-000000000001\",\"patientName\":\"Pat One\","
            + "\"patientEmail\":\"pat.one@example.test\",\"items\":[{\"productId\":\"a1000000-0000-4000-8000-000000000001\","
            + "\"quantity\":1}]}";
    private static final Pattern FIELD = Pattern.compile("\"(transactionId|checkoutUrl|totalAmount|status)\"\\s*:\\s*\"?([^\",}]*)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Checkout(String transactionId, String sessionId, long amount) {
    }

    public static void main(String[] args) throws Exception {
        int checkouts = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String token = token("alice.doctor");

        System.out.printf("opening %d checkouts (not timed) ...%n", checkouts);
        List<Checkout> opened = Collections.synchronizedList(new ArrayList<>());
        run(checkouts, concurrency, i -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(SERVICE + "/api/checkouts"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CHECKOUT)).build());
            if (response.statusCode() == 201) {
                Map<String, String> fields = fields(response.body());
                String url = fields.get("checkoutUrl");
                opened.add(new Checkout(fields.get("transactionId"), url.substring(url.lastIndexOf('/') + 1),
                        Long.parseLong(fields.get("totalAmount"))));
            }
            return response.statusCode();
        });
        List<String> payloads = opened.stream().map(WebhookBenchmark::completed).toList();

        Result first = run(payloads.size(), concurrency, i -> deliver(payloads.get(i)));
        Result again = run(payloads.size(), concurrency, i -> deliver(payloads.get(i)));

        long paid = opened.stream().filter(checkout -> "PAID".equals(fields(send(HttpRequest.newBuilder(
                URI.create(SERVICE + "/api/transactions/" + checkout.transactionId()))
                .header("Authorization", "Bearer " + token).GET().build()).body()).get("status"))).count();
        System.out.printf("%nsigned deliveries of checkout.session.completed, %d checkouts, concurrency %d%n",
                opened.size(), concurrency);
        System.out.printf("  first delivery   %s%n", first);
        System.out.printf("  redelivery       %s%n", again);
        System.out.printf("  applied: %.1f facts per second (first deliveries answered 200, each stored before its answer)%n",
                first.ok() / first.seconds());
        System.out.printf("  transactions PAID afterwards: %d of %d%n", paid, opened.size());
    }

    record Result(int requests, int ok, double seconds, Map<Integer, Integer> statuses, List<Long> latencies) {
        @Override
        public String toString() {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return String.format("%d in %.2f s = %.1f/s, statuses %s, latency p50 %d ms, p95 %d ms, max %d ms",
                    requests, seconds, requests / seconds, statuses, percentile(sorted, 50), percentile(sorted, 95),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
        }
    }

    private static Result run(int count, int concurrency, IntFunction<Integer> call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long began = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    int status = call.apply(i);
                    latencies.add((System.nanoTime() - start) / 1_000_000);
                    statuses.merge(status, 1, Integer::sum);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        pool.shutdown();
        return new Result(count, statuses.getOrDefault(200, 0), seconds, new TreeMap<>(statuses), latencies);
    }

    private static String completed(Checkout checkout) {
        String object = "{\"id\":\"" + checkout.sessionId() + "\",\"object\":\"checkout.session\",\"amount_total\":"
                + checkout.amount() + ",\"currency\":\"gbp\",\"client_reference_id\":\"" + checkout.transactionId()
                + "\",\"metadata\":{\"transaction_id\":\"" + checkout.transactionId() + "\"},\"mode\":\"payment\","
                + "\"payment_intent\":\"pi_bench_" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"payment_status\":\"paid\",\"status\":\"complete\"}";
        return "{\"id\":\"evt_bench_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
                + "\"api_version\":\"2025-09-30.clover\",\"created\":" + System.currentTimeMillis() / 1000
                + ",\"livemode\":false,\"pending_webhooks\":1,\"type\":\"checkout.session.completed\","
                + "\"data\":{\"object\":" + object + "}}";
    }

    /** Signs as Stripe does: t=timestamp,v1=hex(HMAC-SHA256(secret, timestamp + "." + payload)). */
    private static int deliver(String payload) {
        try {
            long now = System.currentTimeMillis() / 1000;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = HexFormat.of().formatHex(mac.doFinal((now + "." + payload).getBytes(StandardCharsets.UTF_8)));
            return send(HttpRequest.newBuilder(URI.create(SERVICE + "/api/stripe/webhook"))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", "t=" + now + ",v1=" + signature)
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build()).statusCode();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fields(String json) {
        Map<String, String> fields = new TreeMap<>();
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1), matcher.group(2));
        }
        return fields;
    }

    private static long percentile(List<Long> sorted, int percentile) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String user) {
        String form = "grant_type=password&client_id=nhsv2-cli&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=fake-local-password";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(TOKEN_URL))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        Matcher matcher = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("no token for " + user + " (is script/server running?): " + response.body());
        }
        return matcher.group(1);
    }
}
