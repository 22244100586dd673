package dev.kite.autoconfigure.registration;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Works out the URL a kite registers, and the host it is reached at, in the way Spring
 * Cloud's {@code prefer-ip-address} does: a configured host, else the server's bind
 * address when it names one, else the first usable non-loopback address (IPv4 before
 * IPv6, site-local before global), else the loopback address.
 *
 * <p>
 * Thread safety: stateless.
 */
final class RegisterUrls {

	private RegisterUrls() {
	}

	/**
	 * The URL of a kite endpoint.
	 * @param secure whether the server speaks TLS
	 * @param host a host name or an IP address (IPv6 without brackets)
	 * @param port the server's port
	 * @param contextPath the servlet context path ({@code ""} or {@code /app})
	 * @param path the endpoint's path, e.g. {@code /kite}
	 * @return the URL
	 */
	static URI url(boolean secure, String host, int port, String contextPath, String path) {
		String authorityHost = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
		String prefix = contextPath.endsWith("/") ? contextPath.substring(0, contextPath.length() - 1) : contextPath;
		return URI.create((secure ? "https" : "http") + "://" + authorityHost + ":" + port + prefix + path);
	}

	/**
	 * The host other kites reach this one at.
	 * @param configured {@code kite.kontrol.hostname}, or {@code null}
	 * @param serverAddress {@code server.address}, or {@code null}
	 * @return the host
	 */
	static String host(@Nullable String configured, @Nullable InetAddress serverAddress) {
		if (configured != null && !configured.isBlank()) {
			return configured.trim();
		}
		if (serverAddress != null && !serverAddress.isAnyLocalAddress()) {
			return serverAddress.getHostAddress();
		}
		InetAddress found = firstNonLoopbackAddress();
		return (found != null) ? found.getHostAddress() : InetAddress.getLoopbackAddress().getHostAddress();
	}

	/**
	 * The host this application dials itself at (its embedded Kontrol): the bind address
	 * when it names one, else the loopback address.
	 * @param serverAddress {@code server.address}, or {@code null}
	 * @return the host
	 */
	static String localHost(@Nullable InetAddress serverAddress) {
		if (serverAddress != null && !serverAddress.isAnyLocalAddress()) {
			return serverAddress.getHostAddress();
		}
		return InetAddress.getLoopbackAddress().getHostAddress();
	}

	private static @Nullable InetAddress firstNonLoopbackAddress() {
		List<InetAddress> candidates = new ArrayList<>();
		try {
			for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
				if (!network.isUp() || network.isLoopback() || network.isVirtual()) {
					continue;
				}
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					if (!address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()) {
						candidates.add(address);
					}
				}
			}
		}
		catch (SocketException | RuntimeException ex) {
			return null;
		}
		candidates.sort(Comparator.comparing((InetAddress address) -> !(address instanceof Inet4Address))
			.thenComparing((address) -> !address.isSiteLocalAddress()));
		return candidates.isEmpty() ? null : candidates.get(0);
	}

}
