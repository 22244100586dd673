package dev.kite.dnode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The Jackson module that lets functions travel inside ordinary values.
 *
 * <ul>
 * <li>Writing: a {@link KiteCallback} (or a {@link RemoteCallback} being passed on) met
 * while a {@link DnodeConnection} encodes a message is registered on that connection,
 * written as {@code "[Function]"}, and its path recorded in the message's
 * {@code callbacks} map. Met anywhere else it is an error: a function only has meaning on
 * one connection.</li>
 * <li>Reading: a declared {@link RemoteCallback} (a method parameter, a record component)
 * is bound from the node the decoder placed at the function's path.</li>
 * </ul>
 */
public final class DnodeModule extends SimpleModule {

	/** The placeholder Go and kite.js write where a function was. */
	public static final String FUNCTION_PLACEHOLDER = "[Function]";

	/**
	 * The deepest nesting a kite mapper's parser accepts. The envelope takes four levels
	 * (the message, its {@code arguments}, the envelope, its {@code withArgs}), so
	 * arguments keep over 250; Jackson's own default (500) would let a peer make every
	 * recursive walk of a tree (binding, writing, logging) twice as deep for no
	 * legitimate call.
	 */
	public static final int MAX_NESTING_DEPTH = 256;

	/**
	 * The longest string value a kite mapper's parser accepts, in characters: far above
	 * any message the default 1 MiB limit lets through, far below Jackson's default of
	 * 100 million, so a raised message limit still cannot buy a 200 MB string.
	 */
	public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

	static final Object ENCODING_STATE = DnodeModule.class.getName() + ".state";

	public DnodeModule() {
		super("kite-dnode");
		addSerializer(OutgoingMessage.class, new MessageSerializer());
		addSerializer(KiteCallback.class, new FunctionSerializer<>());
		addSerializer(RemoteCallback.class, new FunctionSerializer<>());
		addDeserializer(RemoteCallback.class, new RemoteCallbackDeserializer());
		GoNumberSerializer numbers = new GoNumberSerializer();
		addSerializer(Double.class, numbers);
		addSerializer(Double.TYPE, numbers);
		addSerializer(Float.class, numbers);
		addSerializer(Float.TYPE, numbers);
	}

	/**
	 * The parser limits every kite mapper is built with ({@link #MAX_NESTING_DEPTH},
	 * {@link #MAX_STRING_LENGTH}; Jackson's defaults otherwise). A module cannot set
	 * them, so whoever builds a kite mapper's {@code JsonFactory} applies them: a frame
	 * over a limit then fails to parse and is dropped like any other malformed frame.
	 * @return the constraints
	 */
	public static StreamReadConstraints readConstraints() {
		return StreamReadConstraints.builder()
			.maxNestingDepth(MAX_NESTING_DEPTH)
			.maxStringLength(MAX_STRING_LENGTH)
			.build();
	}

	/**
	 * A new mapper for dnode messages: this module, the {@link #readConstraints()}, and
	 * no canonicalisation of JSON property names. Every dnode message names a
	 * never-seen-before callback id as a key of its {@code callbacks} object; interning
	 * those fills Jackson's symbol table with one-off names (measured on this project's
	 * machine: parsing a call frame about 2.6× slower, 0.3 M instead of 0.79 M frames/s
	 * on one thread).
	 * @return a new mapper
	 */
	public static JsonMapper newMapper() {
		return JsonMapper
			.builder(JsonFactory.builder()
				.disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
				.streamReadConstraints(readConstraints())
				.build())
			.addModule(new DnodeModule())
			.build();
	}

	/**
	 * Writes whole-valued floating point numbers without a fraction ({@code 16}, not
	 * {@code 16.0}), as Go's encoder does: a Go caller that decodes a result into an
	 * {@code int} fails on {@code 16.0}. Other values are written as Jackson writes them.
	 */
	private static final class GoNumberSerializer extends ValueSerializer<Number> {

		private static final double EXACT_LONG_LIMIT = 0x1p53;

		@Override
		public void serialize(Number value, JsonGenerator gen, SerializationContext context) {
			double number = value.doubleValue();
			if (!Double.isFinite(number)) {
				// JSON has no NaN or infinities: Jackson would write the string "NaN",
				// which a Go peer fails to decode into a number. Go's encoder refuses
				// them ("json: unsupported value"); so do we, and the caller gets an
				// error instead of a string.
				throw new StreamWriteException(gen, "json: unsupported value: " + goName(number));
			}
			if (number == Math.rint(number) && Math.abs(number) < EXACT_LONG_LIMIT) {
				gen.writeNumber((long) number);
			}
			else if (value instanceof Float single) {
				gen.writeNumber(single.floatValue());
			}
			else {
				gen.writeNumber(number);
			}
		}

		private static String goName(double number) {
			if (Double.isNaN(number)) {
				return "NaN";
			}
			return (number > 0) ? "+Inf" : "-Inf";
		}

	}

	/**
	 * What one message's encoding carries through Jackson: who registers functions, and
	 * where.
	 */
	record EncodingState(DnodeConnection connection, CallbackPaths paths) {
	}

	/**
	 * Writes {@code {"method", "arguments", "callbacks"}} and makes the message's
	 * {@link EncodingState} a per-call attribute of this one serialization, where the
	 * {@link FunctionSerializer} finds it. Per-call attributes die with the call's
	 * context.
	 */
	private static final class MessageSerializer extends ValueSerializer<OutgoingMessage> {

		@Override
		public void serialize(OutgoingMessage message, JsonGenerator gen, SerializationContext context) {
			context.setAttribute(ENCODING_STATE, message.state());
			gen.writeStartObject(message);
			gen.writeName("method");
			context.writeValue(gen, message.method());
			gen.writeName("arguments");
			context.writeValue(gen, message.arguments());
			gen.writeName("callbacks");
			context.writeValue(gen, message.state().paths().asMap());
			gen.writeEndObject();
		}

	}

	private static final class FunctionSerializer<T> extends ValueSerializer<T> {

		@Override
		public void serialize(T value, JsonGenerator gen, SerializationContext context) {
			if (!(context.getAttribute(ENCODING_STATE) instanceof EncodingState state)) {
				throw new IllegalArgumentException(
						"A kite function can only be sent as (part of) the arguments of a dnode message");
			}
			KiteCallback local = (value instanceof KiteCallback callback) ? callback
					: forwarding((RemoteCallback) value);
			gen.writeString(FUNCTION_PLACEHOLDER);
			long id = state.connection().registerCallback(local);
			state.paths().put(id, pathOf(gen.streamWriteContext()));
		}

		private static KiteCallback forwarding(RemoteCallback remote) {
			return (arguments) -> remote.call((Object[]) arguments);
		}

		/**
		 * The path of the value just written, relative to the message's {@code arguments}
		 * array: walk the write contexts outwards until the array whose parent is the
		 * message object.
		 */
		private static List<Object> pathOf(TokenStreamContext context) {
			List<Object> path = new ArrayList<>();
			TokenStreamContext current = context;
			while (current != null && !current.inRoot()) {
				if (current.inArray()) {
					path.add(current.getCurrentIndex());
				}
				else {
					path.add(current.currentName());
				}
				TokenStreamContext parent = current.getParent();
				if (parent != null && parent.inObject() && parent.getParent() != null && parent.getParent().inRoot()) {
					break; // current is the message's "arguments" array
				}
				current = parent;
			}
			Collections.reverse(path);
			return path;
		}

	}

	private static final class RemoteCallbackDeserializer extends ValueDeserializer<RemoteCallback> {

		@Override
		public RemoteCallback deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT
					&& parser.getEmbeddedObject() instanceof RemoteCallback callback) {
				return callback;
			}
			return (RemoteCallback) context.handleUnexpectedToken(RemoteCallback.class, parser);
		}

	}

}
