package io.durableops.samples;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.samples.orders.ChaCha20Encryptor;
import io.durableops.samples.orders.OrderFulfillment;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class OrderFulfillmentTest {
    final List<String> fulfilled = new CopyOnWriteArrayList<>();
    final OrderFulfillment.OrderClient client = (token, number, key) -> fulfilled.add(number + " for " + token);

    SampleHarness harness() {
        SampleHarness h = new SampleHarness(new ChaCha20Encryptor(Base64.getDecoder().decode(AesGcmEncryptor.generateKey())), new OrderFulfillment(client));
        h.sql("CREATE TABLE orders (number BIGINT PRIMARY KEY, status VARCHAR(20))");
        return h;
    }

    @Test
    void anOrderWhoseTransactionRollsBackIsNeverFulfilled() throws Exception {
        try (SampleHarness h = harness()) {
            try (Connection c = h.db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                OrderFulfillment.placeOrder(c, h.ops.scheduler(), 7355608, "cus_secret_token");
                c.rollback(); // something later in the transaction failed
            }
            h.clock.advance(java.time.Duration.ofMinutes(1));
            h.ops.relayNow();
            h.runToEnd();
            assertThat(fulfilled).isEmpty();
            assertThat(h.count("orders")).isZero();
            assertThat(h.count("durable_operations")).isZero();
        }
    }

    @Test
    void aCommittedOrderIsFulfilledWithItsArgumentsEncryptedAtRest() throws Exception {
        try (SampleHarness h = harness()) {
            OperationId id;
            try (Connection c = h.db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                id = OrderFulfillment.placeOrder(c, h.ops.scheduler(), 1, "cus_secret_token");
                c.commit();
            }
            h.ops.relayNow();
            h.runToEnd();
            assertThat(fulfilled).containsExactly("1 for cus_secret_token");
            assertThat(h.ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT args FROM durable_attempts")) {
                while (rs.next()) {
                    byte[] args = rs.getBytes(1);
                    if (args == null) continue;
                    assertThat(new String(args, StandardCharsets.ISO_8859_1)).doesNotContain("cus_secret_token").startsWith("CC");
                }
            }
        }
    }
}
