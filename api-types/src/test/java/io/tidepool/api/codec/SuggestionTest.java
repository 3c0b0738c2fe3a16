package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionTest {

    @Test
    void countsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestion.distance("Endpiont", "Endpoint")).isEqualTo(1);
        assertThat(Suggestion.distance("ab", "ba")).isEqualTo(1);
    }

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(Suggestion.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestion.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestion.distance("same", "same")).isZero();
    }

    @Test
    void suggestsTheClosestCandidateIgnoringCase() {
        assertThat(Suggestion.closest("maxCU", List.of("minCu", "maxCu"))).contains("maxCu");
        assertThat(Suggestion.closest("endpoint", List.of("Cell", "Host", "Endpoint"))).contains("Endpoint");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(Suggestion.closest("banana", List.of("Cell", "Host", "Endpoint"))).isEmpty();
        assertThat(Suggestion.closest("Hx", List.of("Cell"))).isEmpty();
        assertThat(Suggestion.closest("", List.of("Cell"))).isEmpty();
    }

    @Test
    void allowsMoreEditsForLongerNames() {
        assertThat(Suggestion.closest("cpuOvrcomit", List.of("cpuOvercommit"))).contains("cpuOvercommit");
        assertThat(Suggestion.closest("Mnday", List.of("Monday"))).contains("Monday");
        assertThat(Suggestion.closest("Mndy", List.of("Monday"))).isEmpty();
    }

    @Test
    void prefersTheEarliestCandidateOnATie() {
        assertThat(Suggestion.closest("ab", List.of("aa", "bb"))).contains("aa");
    }

    @Test
    void writesTheSuggestionReadyToAppendToAMessage() {
        assertThat(Suggestion.didYouMean("statik", List.of("static", "simulated"))).isEqualTo("; did you mean static?");
        assertThat(Suggestion.didYouMean("cloud", List.of("static", "simulated"))).isEmpty();
    }
}
