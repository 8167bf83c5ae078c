package dev.trampoline.runtime.remote.internal.serial;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deny list: classes whose deserialization (or what collections do with them while they are read) runs
 * code an attacker can steer, whatever bundle or package they come from. It wins over every allow rule: a
 * bundle class, a package the host shares, {@code trampoline.remote.allow}.
 * <p>
 * Three kinds of rule:
 * <ul>
 * <li>names: the entry points and sinks of known gadget chains (ysoserial's payloads, the URLDNS probe), and
 * JDK packages no call needs ({@code javax.management}, {@code java.rmi}, {@code sun}, {@code com.sun},
 * {@code jdk}, {@code javax.naming});</li>
 * <li>comparators: a {@code PriorityQueue} or {@code ConcurrentSkipListMap} compares its elements while it is
 * read, so a comparator would run in the reader. The object filter sees one class at a time and cannot tell
 * which collection a comparator belongs to, so every {@link Comparator} class is refused except a few named
 * JDK ones whose only code is the elements' own {@code compareTo}; lambdas are refused when their object is
 * resolved ({@link #refusalOf(Object)}), since the filter sees them only as {@code SerializedLambda};</li>
 * <li>proxies: a dynamic proxy runs its {@link InvocationHandler} on every call, including the
 * {@code hashCode}, {@code equals} and {@code compareTo} that collections make while they are read. No handler
 * is worth that risk, so proxy classes and every handler (JDK or not) are refused.</li>
 * </ul>
 */
final class GadgetRules {

    /** JDK comparators that call nothing but the elements' {@code compareTo} (or wrap another, checked itself). */
    static final Set<String> JDK_COMPARATORS = Set.of("java.util.Collections$ReverseComparator",
            "java.util.Collections$ReverseComparator2", "java.lang.String$CaseInsensitiveComparator",
            "java.util.Comparators$NaturalOrderComparator", "java.util.Comparators$NullComparator");

    /**
     * Denied names: {@code *} matches within a name segment, {@code **} across dots. More specific rules come
     * first, so a refusal names the rule that says why (TemplatesImpl before {@code com.sun.**}).
     */
    static final List<String> DENIED_NAMES = List.of(
            // JDK entry points and sinks
            "java.net.URL", // URLDNS: HashMap.readObject -> URL.hashCode resolves the host name
            "java.lang.reflect.Proxy",
            "java.security.SignedObject", // deserializes its content, unfiltered, when a getter is called
            "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl", // defines classes from its bytes
            "org.apache.xalan.xsltc.trax.TemplatesImpl",
            "com.sun.syndication.feed.impl.ObjectBean", // ROME: toString/hashCode call every getter
            "com.sun.syndication.feed.impl.ToStringBean",
            "com.sun.syndication.feed.impl.EqualsBean",
            "com.rometools.rome.feed.impl.*",
            "javax.management.**", // BadAttributeValueExpException.readObject calls toString on a field
            "java.rmi.**",
            "javax.naming.**",
            "sun.**",
            "com.sun.**",
            "jdk.**",
            // Commons Collections 3 and 4: the functors are the sinks, the rest call them while read
            "org.apache.commons.collections.functors.*",
            "org.apache.commons.collections.comparators.TransformingComparator",
            "org.apache.commons.collections.map.LazyMap",
            "org.apache.commons.collections.map.LazySortedMap",
            "org.apache.commons.collections.map.TransformedMap",
            "org.apache.commons.collections.map.TransformedSortedMap",
            "org.apache.commons.collections.map.DefaultedMap",
            "org.apache.commons.collections.keyvalue.TiedMapEntry",
            "org.apache.commons.collections4.functors.*",
            "org.apache.commons.collections4.comparators.TransformingComparator",
            "org.apache.commons.collections4.map.LazyMap",
            "org.apache.commons.collections4.map.LazySortedMap",
            "org.apache.commons.collections4.map.TransformedMap",
            "org.apache.commons.collections4.map.TransformedSortedMap",
            "org.apache.commons.collections4.map.DefaultedMap",
            "org.apache.commons.collections4.keyvalue.TiedMapEntry",
            // Commons BeanUtils: compares by calling a getter named in the stream
            "org.apache.commons.beanutils.BeanComparator",
            "org.apache.commons.beanutils2.BeanComparator",
            // Groovy
            "org.codehaus.groovy.runtime.MethodClosure",
            "org.codehaus.groovy.runtime.ConvertedClosure",
            "org.codehaus.groovy.runtime.ConversionHandler",
            // Spring
            "org.springframework.beans.factory.support.AutowireUtils$ObjectFactoryDelegatingInvocationHandler",
            "org.springframework.core.SerializableTypeWrapper$*",
            "org.springframework.aop.framework.JdkDynamicAopProxy",
            "org.springframework.transaction.jta.JtaTransactionManager",
            // C3P0: reading looks up a JNDI reference or loads a class from a URL in the stream
            "com.mchange.v2.c3p0.**PoolBackedDataSource*",
            "com.mchange.v2.c3p0.JndiRefForwardingDataSource",
            "com.mchange.v2.naming.ReferenceIndirector$ReferenceSerialized",
            // others of ysoserial's payloads
            "org.hibernate.engine.spi.TypedValue",
            "org.hibernate.tuple.component.AbstractComponentTuplizer",
            "org.hibernate.property.access.spi.GetterMethodImpl",
            "org.hibernate.property.BasicPropertyAccessor$BasicGetter",
            "org.apache.commons.fileupload.disk.DiskFileItem",
            "org.apache.wicket.util.upload.DiskFileItem",
            "clojure.core$comp",
            "clojure.main$eval_opt",
            "bsh.XThis",
            "bsh.XThis$*",
            "org.mozilla.javascript.NativeError",
            "org.mozilla.javascript.NativeJavaObject",
            "org.mozilla.javascript.MemberBox",
            "org.python.core.PyFunction",
            "org.python.core.PyBytecode",
            "net.sf.json.JSONObject",
            "com.vaadin.data.util.NestedMethodProperty",
            "com.vaadin.data.util.PropertysetItem",
            "org.apache.myfaces.view.facelets.el.ValueExpressionMethodExpression",
            "org.jboss.interceptor.proxy.InterceptorMethodHandler",
            "org.jboss.weld.interceptor.proxy.InterceptorMethodHandler",
            "com.fasterxml.jackson.databind.node.POJONode",
            "com.alibaba.fastjson.JSONArray",
            "com.alibaba.fastjson.JSONObject",
            "org.apache.click.control.Column$ColumnComparator");

    private static final List<NameRule> NAME_RULES = compile(DENIED_NAMES);

    private record NameRule(String rule, Pattern pattern) {
    }

    private GadgetRules() {
    }

    private static List<NameRule> compile(List<String> rules) {
        List<NameRule> compiled = new ArrayList<>(rules.size());
        for (String rule : rules) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < rule.length(); i++) {
                char c = rule.charAt(i);
                if (c == '*' && i + 1 < rule.length() && rule.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^.]*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            compiled.add(new NameRule(rule, Pattern.compile(regex.toString())));
        }
        return List.copyOf(compiled);
    }

    /** The deny rule {@code className} matches, or null. */
    static String deniedName(String className) {
        for (NameRule r : NAME_RULES) {
            if (r.pattern().matcher(className).matches()) {
                return r.rule();
            }
        }
        return null;
    }

    /**
     * Each class's answer, computed once: the filter asks for every class descriptor of every call, and matching
     * the names is dozens of regular expressions. Kept with the class itself, so a bundle's classes are not held
     * after it is updated.
     */
    private static final ClassValue<Optional<String>> REFUSALS = new ClassValue<>() {
        @Override
        protected Optional<String> computeValue(Class<?> cls) {
            return Optional.ofNullable(decide(cls));
        }
    };

    /** Why {@code cls} (not an array) must not be read, or null if no deny rule applies. */
    static String refusalOf(Class<?> cls) {
        return REFUSALS.get(cls).orElse(null);
    }

    private static String decide(Class<?> cls) {
        if (Proxy.isProxyClass(cls)) {
            List<String> interfaces = new ArrayList<>();
            for (Class<?> i : cls.getInterfaces()) {
                interfaces.add(i.getName());
            }
            return "it is a dynamic proxy (of " + String.join(", ", interfaces) + "): its InvocationHandler would"
                    + " run in this JVM on every call, also on those collections make while they are read"
                    + " (deny list: dynamic proxies)";
        }
        String rule = deniedName(cls.getName());
        if (rule != null) {
            String advice = cls == java.net.URL.class
                    ? "; pass the URL as a String or a java.net.URI instead" : "";
            return "it is a known deserialization gadget (deny list: " + rule + ")" + advice;
        }
        if (InvocationHandler.class.isAssignableFrom(cls)) {
            return handlerRefusal();
        }
        if (Comparator.class.isAssignableFrom(cls) && !JDK_COMPARATORS.contains(cls.getName())) {
            return comparatorRefusal();
        }
        return null;
    }

    /**
     * Why {@code resolved}, an object just read (after its {@code readResolve}), must not be used, or null. This
     * catches what the class filter cannot see: a lambda arrives as a {@code SerializedLambda} and becomes a
     * comparator or handler only when it is resolved, before the collection that holds it can call it.
     */
    static String refusalOf(Object resolved) {
        if (resolved instanceof InvocationHandler) {
            return handlerRefusal();
        }
        if (resolved instanceof Comparator && !JDK_COMPARATORS.contains(resolved.getClass().getName())) {
            return comparatorRefusal();
        }
        return null;
    }

    private static String handlerRefusal() {
        return "it is an InvocationHandler: a proxy would run it in this JVM, also while the stream is read"
                + " (deny list: InvocationHandler implementations)";
    }

    private static String comparatorRefusal() {
        return "it is a Comparator other than the JDK's natural, reverse and case-insensitive orders: a sorted or"
                + " priority collection would run it in this JVM while the stream is read"
                + " (deny list: Comparator implementations)";
    }
}
