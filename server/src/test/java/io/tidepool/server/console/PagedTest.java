package io.tidepool.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PagedTest {

    @Test
    void findsAPageOfWhatMatchesAndCountsEveryMatch() {
        Paged<Integer> page = Paged.of(List.of(1, 2, 3, 4, 5, 6, 7, 8), n -> n % 2 == 0, 1, 2);

        assertThat(page.items()).containsExactly(4, 6);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.more()).isTrue();
    }

    @Test
    void refusesAPageThatCannotBe() {
        assertThatThrownBy(() -> Paged.of(List.of(), n -> true, -1, 10)).hasMessageContaining("got offset -1");
        assertThatThrownBy(() -> Paged.of(List.of(), n -> true, 0, 0)).hasMessageContaining("1 to 500 items");
        assertThatThrownBy(() -> Paged.of(List.of(), n -> true, 0, 501)).hasMessageContaining("1 to 500 items");
    }

    @Test
    void anEndpointQueryMatchesPartOfTheNameInAnyCaseWithinItsCellAndPhase() {
        EndpointQuery query = EndpointQuery.parse(" Shop ", "eu-1a", "running", null, null);

        assertThat(query.test(row("webshop", "eu-1a", Endpoint.Phase.Running))).isTrue();
        assertThat(query.test(row("webshop", "eu-1b", Endpoint.Phase.Running))).isFalse();
        assertThat(query.test(row("webshop", "eu-1a", Endpoint.Phase.Suspended))).isFalse();
        assertThat(query.test(row("blog", "eu-1a", Endpoint.Phase.Running))).isFalse();
        assertThat(query.limit()).isEqualTo(EndpointQuery.DEFAULT_LIMIT);
    }

    @Test
    void anEndpointQuerySaysWhatIsWrongWithIt() {
        assertThatThrownBy(() -> EndpointQuery.parse(null, null, "Asleep", null, null)).hasMessage(
                "phase must be one of Pending, Running, Scaling, Migrating, Restarting, Suspended, Failed, got \"Asleep\"");
        assertThatThrownBy(() -> EndpointQuery.parse(null, null, null, "ten", null)).hasMessage("offset must be a whole number, got \"ten\"");
        assertThatThrownBy(() -> EndpointQuery.parse("x".repeat(64), null, null, null, null)).hasMessageContaining("at most 63 characters");
    }

    /** A page is the filtered list, cut at offset and limit; the total counts every match. */
    @Property(tries = 300)
    void aPageIsTheFilteredListCut(@ForAll("names") List<String> names, @ForAll("searches") String search,
                                   @ForAll @IntRange(min = 0, max = 60) int offset, @ForAll @IntRange(min = 1, max = 20) int limit) {
        TreeMap<String, EndpointRow> byName = new TreeMap<>();
        names.forEach(n -> byName.put(n, row(n, "local", Endpoint.Phase.Running)));
        EndpointQuery query = new EndpointQuery(search, null, null, offset, limit);

        Paged<EndpointRow> page = query.page(byName.values());

        List<String> matching = byName.keySet().stream().filter(n -> n.contains(search)).toList();
        assertThat(page.total()).isEqualTo(matching.size());
        assertThat(page.items()).extracting(EndpointRow::name)
                .containsExactlyElementsOf(matching.stream().skip(offset).limit(limit).toList());
        assertThat(page.more()).isEqualTo(offset + limit < matching.size());
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().withChars("abc-").ofMinLength(1).ofMaxLength(5).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<String> searches() {
        return Arbitraries.strings().withChars("abc").ofMaxLength(2);
    }

    private static EndpointRow row(String name, String cell, Endpoint.Phase phase) {
        return new EndpointRow(name, cell, phase, null, Cu.QUARTER, Cu.QUARTER, Cu.ofWhole(1), "15", null, null);
    }
}
