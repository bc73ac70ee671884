package io.emostream.job.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.emostream.job.model.LabelPrior;
import io.emostream.job.model.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which domain's label prior an utterance gets, and the priors themselves. */
class DomainProfileTest {
    private static final List<String> ROLES = List.of("AGENT", "CUSTOMER", "HOST", "GUEST", "UNKNOWN");

    @Test
    void withoutADomainAgentsCustomersAndTelephonyAreAContactCentreAndTheRestAPodcast() {
        assertThat(DomainProfile.byDefault("AGENT", "file:call.wav")).isEqualTo(DomainProfile.CONTACT_CENTRE);
        assertThat(DomainProfile.byDefault("CUSTOMER", "ws:softphone-3")).isEqualTo(DomainProfile.CONTACT_CENTRE);
        for (String telephony : List.of("audiohook:10.0.0.7:51000", "twilio:203.0.113.7:443", "audiosocket:10.0.0.8:4573",
                "siprec:10.0.0.9:5060")) {
            assertThat(DomainProfile.byDefault("UNKNOWN", telephony)).as(telephony).isEqualTo(DomainProfile.CONTACT_CENTRE);
        }
        assertThat(DomainProfile.byDefault("HOST", "file:episode.wav")).isEqualTo(DomainProfile.PODCAST);
        assertThat(DomainProfile.byDefault("GUEST", "stdin:")).isEqualTo(DomainProfile.PODCAST);
        assertThat(DomainProfile.byDefault("UNKNOWN", "ws:browser")).isEqualTo(DomainProfile.PODCAST);
    }

    @Test
    void aDomainIsNamedAsTheOptionNamesItAndAnUnknownOneGetsOneSentence() {
        assertThat(DomainProfile.named("contact-centre")).isEqualTo(DomainProfile.CONTACT_CENTRE);
        assertThat(DomainProfile.named(" MSP-Podcast ")).isEqualTo(DomainProfile.MSP_PODCAST);
        assertThat(DomainProfile.ALLOWED).isEqualTo("contact-centre, podcast or msp-podcast");
        assertThatThrownBy(() -> DomainProfile.named("call-center"))
                .hasMessage("Unknown domain 'call-center': the domain is contact-centre, podcast or msp-podcast.");
    }

    @Test
    void eachRoleHasItsPriorAndRolesTheDomainDoesNotKnowTakeItsUnknowns() {
        LabelPrior agent = DomainProfile.CONTACT_CENTRE.prior("AGENT");
        LabelPrior customer = DomainProfile.CONTACT_CENTRE.prior("CUSTOMER");

        assertThat(agent.name()).isEqualTo("contact-centre, agent");
        assertThat(agent.of("neutral")).isEqualTo(0.75);
        assertThat(customer.of("angry")).isEqualTo(0.12);
        assertThat(DomainProfile.CONTACT_CENTRE.prior("HOST")).isEqualTo(DomainProfile.CONTACT_CENTRE.prior("UNKNOWN"));
        assertThat(DomainProfile.CONTACT_CENTRE.prior("UNKNOWN").of("neutral"))
                .as("the average of agent and customer").isCloseTo((0.75 + 0.60) / 2, within(1e-12));
        assertThat(DomainProfile.PODCAST.prior("CUSTOMER").name()).isEqualTo("podcast, unknown");
        assertThat(DomainProfile.MSP_PODCAST.prior("GUEST").of("happy")).isEqualTo(0.25);
    }

    @Test
    void everyPriorCoversTheLabelSetWithPositiveSharesSummingToOneAndNeutralFirst() {
        for (DomainProfile domain : DomainProfile.values()) {
            for (String role : ROLES) {
                LabelPrior prior = domain.prior(role);
                assertThat(prior.probabilities().keySet()).as(prior.name()).containsExactlyElementsOf(LabelSet.MSP_PODCAST.labels());
                assertThat(prior.probabilities().values()).as(prior.name()).allSatisfy(p -> assertThat(p).isPositive());
                assertThat(prior.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                        .as(prior.name()).isCloseTo(1.0, within(1e-12));
                double neutral = prior.of("neutral");
                assertThat(prior.probabilities().values()).as(prior.name()).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(neutral));
            }
        }
    }

    @Test
    void aPriorThatDoesNotSumToOneIsABug() {
        assertThatThrownBy(() -> new LabelPrior("broken", java.util.Map.of("neutral", 0.5, "happy", 0.4)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
