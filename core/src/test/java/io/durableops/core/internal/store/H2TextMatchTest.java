package io.durableops.core.internal.store;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link H2Dialect#like}: a range on a pattern's fixed start, only where H2 compares text as strings, and then the same
 * rows as the LIKE alone.
 */
class H2TextMatchTest {
    /** Around the fixed starts below: the start itself, the text just past it, other cases, punctuation. */
    private static final List<String> VALUES = List.of("ab", "ab-1", "abz", "abZ", "abzz", "ABZZ", "ab[", "ac", "aa", "a-b", "a.b", "a_b",
            "50%", "50%x", "50&", "java.net.Socket", "java.net", "java.netty.X", "java.net/x", "JAVA.NET.X", "\uffff", "x\uffffy");
    private static final List<String> PATTERNS = List.of("ab*", "abZ*", "a-*", "a.*", "a_*", "50%*", "java.net.*", "java.net*", "x\uffff*", "*b");

    @Test
    void onADefaultDatabaseAPatternIsARangeOnItsFixedStartAndFindsWhatTheLikeFinds() throws SQLException {
        H2Dialect dialect = migrated("");
        Dialect.Match match = dialect.like("v", "ab*");
        assertThat(match.sql()).isEqualTo("v >= ? AND v < ? AND v LIKE ? ESCAPE '!'");
        assertThat(match.values()).containsExactly("ab", "ac", "ab%");
        assertThat(dialect.like("v", "*b").sql()).as("no fixed start, no range").isEqualTo("v LIKE ? ESCAPE '!'");
        assertThat(dialect.like("v", "x\uffff*").sql()).as("no character above the last").isEqualTo("v LIKE ? ESCAPE '!'");
        assertSameRowsAsTheLike(dialect);
    }

    @Test
    void beforeTheTablesAreMigratedThereIsNoRange() {
        H2Dialect dialect = new H2Dialect();
        dialect.inspect(database(""));
        assertThat(dialect.like("v", "ab*").sql()).isEqualTo("v LIKE ? ESCAPE '!'");
    }

    @Test
    void whereTextIgnoresCaseThereIsNoRangeAndTheLikeDecides() throws SQLException {
        H2Dialect dialect = migrated(";IGNORECASE=TRUE");
        assertThat(dialect.like("v", "ab*").sql()).isEqualTo("v LIKE ? ESCAPE '!'");
        assertSameRowsAsTheLike(dialect);
    }

    @Test
    void underACollationThereIsNoRangeAndTheLikeDecides() throws SQLException {
        H2Dialect dialect = migrated(";COLLATION=ENGLISH");
        assertThat(dialect.like("v", "ab*").sql()).isEqualTo("v LIKE ? ESCAPE '!'");
        assertSameRowsAsTheLike(dialect);
    }

    private DataSource source;

    private H2Dialect migrated(String settings) {
        source = database(settings);
        H2Dialect dialect = new H2Dialect();
        Migrations.migrate(source, dialect);
        dialect.inspect(source);
        return dialect;
    }

    private static DataSource database(String settings) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:text-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + settings);
        h2.setUser("sa");
        return h2;
    }

    /** A table of {@link #VALUES} in this database's text type: each pattern's match finds the LIKE's rows. */
    private void assertSameRowsAsTheLike(H2Dialect dialect) throws SQLException {
        try (Connection c = source.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE text_probe (v VARCHAR(200))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO text_probe (v) VALUES (?)")) {
                for (String v : VALUES) {
                    ps.setString(1, v);
                    ps.executeUpdate();
                }
            }
            for (String pattern : PATTERNS) {
                Dialect.Match match = dialect.like("v", pattern);
                List<String> expected = rows(c, "v LIKE ? ESCAPE '!'", List.of(Dialect.likePattern(pattern)));
                assertThat(rows(c, match.sql(), match.values())).as(pattern + " as " + match.sql()).isEqualTo(expected);
            }
        }
    }

    private static List<String> rows(Connection c, String predicate, List<String> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM text_probe WHERE " + predicate + " ORDER BY v")) {
            for (int i = 0; i < values.size(); i++) ps.setString(i + 1, values.get(i));
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
