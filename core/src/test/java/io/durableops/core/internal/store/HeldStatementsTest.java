package io.durableops.core.internal.store;

import io.durableops.core.StorageException;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Statement reuse on a held connection ({@link Tx#hold}, {@link Sql#prepare}, {@link Statements}), on H2. */
class HeldStatementsTest {
    private static final String INSERT = "INSERT INTO held_probe (n) VALUES (?)";
    private static final String SELECT = "SELECT n FROM held_probe ORDER BY n";

    private TestDatabase database;
    private Tx tx;

    @BeforeEach
    void createTable() throws Exception {
        database = TestDatabase.h2();
        tx = new Tx(database.dataSource(), new H2Dialect());
        tx.auto("create the probe table", c -> Sql.update(c, "CREATE TABLE held_probe (n INT PRIMARY KEY)", Sql.Binder.NONE));
    }

    @AfterEach
    void close() throws Exception {
        database.close();
    }

    @Test
    void aHeldConnectionKeepsEachStatementFromOneTransactionToTheNext() throws Exception {
        try (Tx.Hold hold = tx.hold()) {
            assertThat(hold).isNotNull();
            PreparedStatement first = tx.run("insert 1", c -> insert(c, 1));
            PreparedStatement second = tx.run("insert 2", c -> insert(c, 2));
            assertThat(second).isSameAs(first);
            assertThat(first.isClosed()).isFalse();
            hold.close();
            assertThat(first.isClosed()).isTrue();
        }
        assertThat(numbers()).containsExactly(1, 2);
    }

    @Test
    void withoutAHoldEveryStatementIsClosedAfterItsUse() throws Exception {
        PreparedStatement first = tx.run("insert 1", c -> insert(c, 1));
        PreparedStatement second = tx.run("insert 2", c -> insert(c, 2));
        assertThat(second).isNotSameAs(first);
        assertThat(first.isClosed() && second.isClosed()).isTrue();
    }

    @Test
    void aNestedPooledTransactionDoesNotUseTheHeldConnectionsStatements() throws Exception {
        try (Tx.Hold hold = tx.hold()) {
            PreparedStatement held = tx.run("insert 1", c -> insert(c, 1));
            PreparedStatement[] inner = new PreparedStatement[1];
            PreparedStatement outer = tx.run("insert 2", c -> {
                inner[0] = tx.run("insert 3 on a pooled connection", pooled -> insert(pooled, 3));
                return insert(c, 2);
            });
            assertThat(outer).isSameAs(held);
            assertThat(inner[0]).isNotSameAs(held);
            assertThat(inner[0].isClosed()).isTrue();
            PreparedStatement pooled = tx.runPooled("insert 4", c -> insert(c, 4));
            assertThat(pooled).isNotSameAs(held);
            assertThat(pooled.isClosed()).isTrue();
        }
        assertThat(numbers()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aKeptQueryForgetsTheRowLimitOfItsPreviousUse() throws Exception {
        tx.auto("insert", c -> {
            SqlValues.batch(c, INSERT, List.of(1, 2, 3), (ps, n) -> ps.setInt(1, n));
            return null;
        });
        try (Tx.Hold hold = tx.hold()) {
            assertThat(numbers(1)).containsExactly(1);
            assertThat(numbers(0)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aKeptBatchStatementCarriesNoRowOfABatchThatFailedIntoItsNextUse() throws Exception {
        try (Tx.Hold hold = tx.hold()) {
            tx.auto("insert, failing after the first row", c -> {
                try {
                    SqlValues.batch(c, INSERT, List.of(10, 11), (ps, n) -> {
                        if (n == 11) throw new IllegalStateException("binding failed");
                        ps.setInt(1, n);
                    });
                } catch (IllegalStateException expected) {
                    // caught inside the work: the held connection and its statements stay in use
                }
                return null;
            });
            tx.auto("insert", c -> {
                SqlValues.batch(c, INSERT, List.of(20), (ps, n) -> ps.setInt(1, n));
                return null;
            });
        }
        assertThat(numbers()).containsExactly(20);
    }

    @Test
    void afterAFailureTheHeldConnectionIsReplacedWithFreshStatements() throws Exception {
        try (Tx.Hold hold = tx.hold()) {
            PreparedStatement before = tx.run("insert 1", c -> insert(c, 1));
            assertThatThrownBy(() -> tx.run("insert 1 again", c -> insert(c, 1))).isInstanceOf(StorageException.class);
            PreparedStatement after = tx.run("insert 2", c -> insert(c, 2));
            assertThat(after).isNotSameAs(before);
            assertThat(before.isClosed()).isTrue();
        }
        assertThat(numbers()).containsExactly(1, 2);
    }

    /** Inserts {@code n}; returns the statement that did it. */
    private static PreparedStatement insert(java.sql.Connection c, int n) throws java.sql.SQLException {
        try (Sql.Prepared p = Sql.prepare(c, INSERT)) {
            p.ps().setInt(1, n);
            p.ps().executeUpdate();
            return p.ps();
        }
    }

    private List<Integer> numbers() {
        return numbers(0);
    }

    /** The numbers in the table, at most {@code maxRows} (0: all). */
    private List<Integer> numbers(int maxRows) {
        return tx.auto("read", c -> Sql.list(c, SELECT, maxRows, Sql.Binder.NONE, rs -> rs.getInt("n")));
    }
}
