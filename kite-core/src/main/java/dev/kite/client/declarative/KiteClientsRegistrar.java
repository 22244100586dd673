package dev.kite.client.declarative;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Scans for {@link KiteClient} interfaces (see {@link EnableKiteClients}) and registers
 * one {@link KiteClientProxyFactoryBean} per interface, typed as the interface.
 *
 * <p>
 * Thread safety: runs once, on the thread that refreshes the application context.
 */
public final class KiteClientsRegistrar implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(EnableKiteClients.class.getName());
		Set<String> packages = new LinkedHashSet<>();
		if (attributes != null) {
			packages.addAll(Set.of((String[]) attributes.get("value")));
			Class<?>[] basePackageClasses = (Class<?>[]) attributes.get("basePackageClasses");
			for (Class<?> type : (basePackageClasses != null) ? basePackageClasses : new Class<?>[0]) {
				packages.add(ClassUtils.getPackageName(type));
			}
		}
		if (packages.isEmpty()) {
			packages.add(ClassUtils.getPackageName(metadata.getClassName()));
		}
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
				return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
			}
		};
		scanner.addIncludeFilter(new AnnotationTypeFilter(KiteClient.class));
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					register(className, registry);
				}
			}
		}
	}

	private static void register(String interfaceName, BeanDefinitionRegistry registry) {
		Class<?> type = ClassUtils.resolveClassName(interfaceName, null);
		AbstractBeanDefinition definition = BeanDefinitionBuilder
			.genericBeanDefinition(KiteClientProxyFactoryBean.class)
			.addConstructorArgValue(type)
			.getBeanDefinition();
		definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
		registry.registerBeanDefinition(interfaceName, definition);
	}

}
