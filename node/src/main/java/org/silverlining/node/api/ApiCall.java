package org.silverlining.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.InvalidRequestException;

/**
 * One call of an API as an endpoint sees it: the request, its parameters read into a record, who
 * made it, and the ways to answer. An endpoint either answers (and so completes the callback) or
 * throws; it never does both.
 */
public final class ApiCall {
  /** The request attribute that names who made the call, set once the caller is authenticated. */
  public static final String WHO = "org.silverlining.node.api.who";

  private final Request request;
  private final Response response;
  private final Callback callback;

  ApiCall(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public Callback callback() {
    return callback;
  }

  /** Who made the call: the name of its token. */
  public String who() {
    Object who = request.getAttribute(WHO);
    return who == null ? "anonymous" : who.toString();
  }

  /**
   * The query parameters read into a {@code type} record: parameter {@code with_config} fills
   * component {@code withConfig}; {@code true}/{@code false} are booleans; a record's compact
   * constructor checks what is required. A parameter the record has no component for, or a value of
   * the wrong type, is an {@link InvalidParameterException} naming it.
   */
  public <P> P params(Class<P> type) throws InvalidRequestException {
    return read(Request.extractQueryParameters(request), type);
  }

  static <P> P read(Fields query, Class<P> type) throws InvalidRequestException {
    Map<String, String> values = new LinkedHashMap<>();
    for (Fields.Field f : query) {
      values.put(f.getName(), f.getValue());
    }
    try {
      JsonNode tree = ApiJson.PARAMETERS.valueToTree(values);
      return ApiJson.PARAMETERS.readerFor(type).readValue(tree);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
      throw new InvalidParameterException(
          e.getPropertyName(),
          "unknown parameter '"
              + e.getPropertyName()
              + "'; "
              + (known.isEmpty() ? "this call takes none" : "this call takes " + known));
    } catch (ValueInstantiationException e) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof InvalidRequestException r) {
          throw r;
        }
      }
      throw new InvalidRequestException(e.getOriginalMessage());
    } catch (InvalidFormatException e) {
      String name = parameterOf(e);
      throw new InvalidParameterException(
          name,
          "the parameter '"
              + name
              + "' is "
              + kindOf(e.getTargetType())
              + ", not '"
              + e.getValue()
              + "'");
    } catch (JsonMappingException e) {
      String name = parameterOf(e);
      throw new InvalidParameterException(
          name, "the parameter '" + name + "' is not valid: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the parameters are not valid: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a tree in memory has nothing to read
    }
  }

  private static String parameterOf(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    return path.isEmpty() ? "?" : path.get(path.size() - 1).getFieldName();
  }

  private static String kindOf(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    return "a " + type.getSimpleName();
  }

  /** Answers 200 with {@code body} as JSON. */
  public void json(Object body) throws IOException {
    json(200, body);
  }

  /** Answers {@code status} with {@code body} as JSON. */
  public void json(int status, Object body) throws IOException {
    byte[] bytes = ApiJson.ANSWERS.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
