package dev.kite.test.autoconfigure;

import dev.kite.autoconfigure.KiteAutoConfiguration;
import dev.kite.autoconfigure.kontrol.KontrolServerAutoConfiguration;
import dev.kite.kontrol.Kontrol;
import dev.kite.protocol.Kite;
import dev.kite.test.kontrol.KiteTestKeys;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link KiteTestKeys} bean of
 * {@link AutoConfigureEmbeddedKontrol @AutoConfigureEmbeddedKontrol}, when the embedded
 * {@link Kontrol} runs.
 */
@AutoConfiguration(after = { KiteAutoConfiguration.class, KontrolServerAutoConfiguration.class })
@ConditionalOnClass(Kontrol.class)
@ConditionalOnBean(Kontrol.class)
public final class EmbeddedKontrolTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KiteTestKeys kiteTestKeys(Kontrol kontrol, @Qualifier(KiteAutoConfiguration.LOCAL_KITE_BEAN_NAME) Kite localKite) {
		return new KiteTestKeys(kontrol, localKite);
	}

}
