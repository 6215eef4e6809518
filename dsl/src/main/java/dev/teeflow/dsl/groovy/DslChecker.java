package dev.teeflow.dsl.groovy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.EmptyStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Types;

/**
 * The sandbox of a pipeline script, as an allowlist: the walk below names every node shape the DSL
 * needs and refuses any other node, at its line and column, every violation at once. What is allowed:
 * <ul>
 *   <li>statements: DSL calls ({@code name 'x'}, {@code app('a') { ... }}) and {@code def name = value};
 *       at the top of the script only {@code def} and {@code pipeline { ... }};</li>
 *   <li>values: text, numbers, true/false/null, lists, maps with written-out keys, closures without
 *       parameters, local {@code def} variables, {@code "$variable"} strings, {@code +} and a minus
 *       sign on a number.</li>
 * </ul>
 * Nothing else: no receivers, no {@code new}, no property access, casts, operators, imports,
 * annotations, classes, methods or closure parameters (whose default values would run).
 *
 * <p>It runs twice. At {@link CompilePhase#CONVERSION}, right after parsing and before any AST
 * transformation could run code at compile time, it checks the shapes; a refused file stops there.
 * At {@link CompilePhase#SEMANTIC_ANALYSIS}, once names are resolved, it checks that every name is a
 * local variable and bounds the size of what the script can build: without loops or recursion each
 * value's size is known from the text, so {@code def b = a + a} repeated cannot grow memory
 * unchecked. It also records the column of each call for runtime locations.
 */
final class DslChecker extends CompilationCustomizer {
    /** Deepest nesting of closures, lists, maps, calls and '+' (the compiler recurses on it). */
    static final int MAX_DEPTH = 100;
    /** Nodes in the script's syntax tree. */
    static final int MAX_NODES = 200_000;
    /** Characters and entries the script may build in total (counting every use of a variable). */
    static final long MAX_BUILT_SIZE = 4_000_000;
    /** Largest number written in a script, in decimal digits. */
    static final int MAX_NUMBER_DIGITS = 100;
    /**
     * Names a call may not have. Every call reaches the builder, which intercepts all of them; these
     * names would reach Groovy or Java machinery if it did not. A key with one of these names can
     * still be written as a map entry: {@code parent(sleep: 1)}.
     */
    static final Set<String> RESERVED_CALLS = Set.of("getClass", "getMetaClass", "setMetaClass", "invokeMethod",
            "getProperty", "setProperty", "evaluate", "execute", "getBinding", "setBinding", "getOwner",
            "getDelegate", "setDelegate", "getThisObject", "rehydrate", "sleep", "wait", "notify", "notifyAll",
            "methodMissing", "propertyMissing", "addShutdownHook", "println", "print", "printf");

    private final boolean resolved;
    /** Column of the first call of a given name on a given line, for runtime locations. */
    private final Map<String, Integer> callColumns = new HashMap<>();

    private DslChecker(CompilePhase phase) {
        super(phase);
        this.resolved = phase == CompilePhase.SEMANTIC_ANALYSIS;
    }

    /** The shape check that runs right after parsing. */
    static DslChecker shapes() {
        return new DslChecker(CompilePhase.CONVERSION);
    }

    /** The check of names and sizes that runs once names are resolved. */
    static DslChecker namesAndSizes() {
        return new DslChecker(CompilePhase.SEMANTIC_ANALYSIS);
    }

    static String key(int line, String name) {
        return line + ":" + name;
    }

    int column(int line, String name) {
        return callColumns.getOrDefault(key(line, name), 1);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            error(source, "a pipeline script cannot declare classes, interfaces, traits or enums", classNode);
            return;
        }
        ModuleNode module = source.getAST();
        checkModule(source, module);
        // The compiler marks the script class with the configured base class as @BaseScript().
        List<AnnotationNode> marks = classNode.getAnnotations().stream().filter(a -> !(a.getMembers().isEmpty()
                && a.getClassNode().getName().equals("groovy.transform.BaseScript"))).toList();
        if (!written(marks).isEmpty()) {
            error(source, "annotations are not allowed in a pipeline script (they run code while the file is read)", classNode);
        }
        classNode.getFields().forEach(f -> error(source, "a pipeline script cannot declare fields", f));
        classNode.getProperties().forEach(p -> error(source, "a pipeline script cannot declare fields", p));
        classNode.getObjectInitializerStatements().forEach(s -> error(source, "a pipeline script cannot declare"
                + " initializers", s));
        classNode.getDeclaredConstructors().forEach(c -> generatedOnly(source, c));
        MethodNode run = null;
        for (MethodNode m : classNode.getMethods()) {
            if (m.getName().equals("run") && m.getParameters().length == 0 && m.getCode() == module.getStatementBlock()) {
                run = m;
            } else if (!module.getMethods().contains(m)) { // those are reported by checkModule
                generatedOnly(source, m);
            }
        }
        if (run != null) {
            new Walk(source).script((BlockStatement) run.getCode());
        }
    }

    private static void checkModule(SourceUnit source, ModuleNode module) {
        if (module.getPackage() != null) {
            error(source, "a pipeline script cannot declare a package", module.getPackage());
        }
        List<ImportNode> imports = new java.util.ArrayList<>(module.getImports());
        imports.addAll(module.getStarImports());
        imports.addAll(module.getStaticImports().values());
        imports.addAll(module.getStaticStarImports().values());
        imports.forEach(i -> error(source, "a pipeline script cannot import anything", i));
        module.getMethods().forEach(m -> error(source, "a pipeline script cannot define methods ('" + m.getName() + "')", m));
    }

    /** Methods and constructors the compiler adds to every script carry no line; anything written does. */
    private static void generatedOnly(SourceUnit source, MethodNode m) {
        if (m.getLineNumber() > 0 || !written(m.getAnnotations()).isEmpty()) {
            error(source, "a pipeline script cannot define methods ('" + m.getName() + "')", m);
        }
    }

    private static void annotations(SourceUnit source, AnnotatedNode node) {
        List<AnnotationNode> written = written(node.getAnnotations());
        if (!written.isEmpty()) {
            error(source, "annotations are not allowed in a pipeline script (they run code while the file is read)",
                    written.get(0).getLineNumber() > 0 ? written.get(0) : node);
        }
    }

    /** All annotations but the compiler's own mark on what it generates, which has no place in the text. */
    private static List<AnnotationNode> written(List<AnnotationNode> annotations) {
        return annotations.stream().filter(a -> a.getLineNumber() > 0
                || !a.getClassNode().getName().equals("groovy.transform.Generated")).toList();
    }

    private static void error(SourceUnit source, String message, ASTNode node) {
        source.getErrorCollector().addErrorAndContinue(new SyntaxException(message, node), source);
    }

    /** One walk over the script: refuses what is not listed, returns the size bound of each value. */
    private final class Walk {
        private final SourceUnit source;
        /** Size bound of the value of each local variable, by its declaration. */
        private final Map<VariableExpression, Long> variables = new IdentityHashMap<>();
        /** Local variables whose value is a closure. */
        private final Set<VariableExpression> closures = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        private int nodes;
        private boolean tooBig;
        private boolean tooDeep;

        Walk(SourceUnit source) {
            this.source = source;
        }

        void script(BlockStatement block) {
            long total = block(block, 0, true);
            if (resolved && !tooBig && total > MAX_BUILT_SIZE) {
                refuseSize(block);
            }
        }

        private long block(Statement statement, int depth, boolean top) {
            if (!enter(statement, depth)) {
                return 0;
            }
            if (statement.getClass() == EmptyStatement.class) {
                return 0;
            }
            if (statement.getClass() != BlockStatement.class) {
                return statement(statement, depth, top);
            }
            long total = 0;
            for (Statement s : ((BlockStatement) statement).getStatements()) {
                total = add(total, statement(s, depth + 1, top));
            }
            return total;
        }

        private long statement(Statement s, int depth, boolean top) {
            if (!enter(s, depth)) {
                return 0;
            }
            if (s.getClass() == EmptyStatement.class) {
                return 0;
            }
            if (s.getClass() != ExpressionStatement.class) {
                return refuse(s, describeStatement(s) + " is not allowed in a pipeline script (only DSL calls such as"
                        + " name 'value' or section { ... } and 'def name = value'; no loops, conditions or try)");
            }
            if (s.getStatementLabels() != null && !s.getStatementLabels().isEmpty()) {
                return refuse(s, "labels ('" + s.getStatementLabel() + ":') are not allowed in a pipeline script;"
                        + " write " + s.getStatementLabel() + " 'value' to set a key");
            }
            Expression e = ((ExpressionStatement) s).getExpression();
            if (e.getClass() == DeclarationExpression.class) {
                return declaration((DeclarationExpression) e, depth + 1);
            }
            if (e.getClass() == MethodCallExpression.class) {
                return call((MethodCallExpression) e, depth + 1, top);
            }
            return refuse(e, "'" + text(e) + "' is not allowed here; a pipeline script is made of DSL calls such as"
                    + " name 'value' or section { ... } and 'def name = value'");
        }

        private long declaration(DeclarationExpression d, int depth) {
            if (!enter(d, depth) || !noAnnotations(d)) {
                return 0;
            }
            if (d.isMultipleAssignmentDeclaration() || d.getLeftExpression().getClass() != VariableExpression.class) {
                return refuse(d, "only 'def name = value' declarations are allowed");
            }
            VariableExpression v = d.getVariableExpression();
            if (!v.isDynamicTyped()) {
                return refuse(d, "declare variables with 'def', not a type ('" + v.getOriginType().getNameWithoutPackage()
                        + "'): a type would convert the value");
            }
            if (!noAnnotations(v)) {
                return 0;
            }
            if (d.getOperation().getType() != Types.ASSIGN
                    || d.getRightExpression() instanceof org.codehaus.groovy.ast.expr.EmptyExpression) {
                return refuse(d, "give the variable a value: def " + v.getName() + " = ...");
            }
            long size = value(d.getRightExpression(), depth + 1);
            variables.put(v, size);
            if (isClosure(d.getRightExpression())) {
                closures.add(v);
            }
            return size;
        }

        private long call(MethodCallExpression c, int depth, boolean top) {
            if (!enter(c, depth) || !noAnnotations(c)) {
                return 0;
            }
            String name = c.getMethodAsString();
            if (c.getMethod().getClass() != ConstantExpression.class || name == null) {
                return refuse(c, "the name of a call must be written out, not computed: write name 'value'");
            }
            Expression receiver = c.getObjectExpression();
            if (!isImplicitThis(c)) {
                if (resolved && c.getMethodAsString().equals("call") && receiver.getClass() == VariableExpression.class
                        && !((VariableExpression) receiver).isThisExpression()) {
                    String var = ((VariableExpression) receiver).getName();
                    return refuse(c, "'" + var + "' is a local variable here, so '" + var + " ...' would call it"
                            + " instead of writing the key '" + var + "'; rename the variable");
                }
                return refuse(c, "'" + text(c) + "' calls a method on an object; a pipeline script may only write"
                        + " DSL entries such as name 'value' or section { ... }");
            }
            if (c.isSafe() || c.isSpreadSafe() || c.getGenericsTypes() != null) {
                return refuse(c, "'" + text(c) + "' is not a DSL call; write name 'value'");
            }
            if (RESERVED_CALLS.contains(name)) {
                return refuse(c, "'" + name + "' is reserved in a pipeline script; write a key with that name as a"
                        + " map entry: parent(" + name + ": value)");
            }
            if (top && !name.equals("pipeline")) {
                return refuse(c, "unexpected '" + name + "' at the top of the script; write everything inside"
                        + " pipeline { ... } (only 'def name = value' may stand outside it)");
            }
            long size = add(1, name.length());
            Expression args = c.getArguments();
            if (args.getClass() != ArgumentListExpression.class && args.getClass() != TupleExpression.class) {
                return refuse(args, "'" + text(args) + "' is not allowed as the arguments of a DSL call");
            }
            for (Expression a : ((TupleExpression) args).getExpressions()) {
                size = add(size, a.getClass() == NamedArgumentListExpression.class ? map((MapExpression) a, depth + 1)
                        : value(a, depth + 1));
            }
            if (resolved) {
                callColumns.putIfAbsent(key(c.getLineNumber(), name), c.getColumnNumber());
                // Send the call to 'this' explicitly: inside a closure that is the closure's thisObject,
                // which the builder sets to itself. An implicit call would first try the closure's own
                // methods, so keys named like Groovy's Object methods ('with', 'find', 'each') would
                // never reach the builder.
                c.setImplicitThis(false);
            }
            return checked(c, size);
        }

        private boolean isImplicitThis(MethodCallExpression c) {
            return c.isImplicitThis() && c.getObjectExpression().getClass() == VariableExpression.class
                    && ((VariableExpression) c.getObjectExpression()).isThisExpression();
        }

        /** A value: an argument, a list item, a map value, a variable's value, a '+' operand. */
        private long value(Expression e, int depth) {
            if (!enter(e, depth) || !noAnnotations(e)) {
                return 0;
            }
            Class<?> kind = e.getClass();
            if (kind == ConstantExpression.class) {
                return constant((ConstantExpression) e);
            }
            if (kind == GStringExpression.class) {
                return gstring((GStringExpression) e, depth);
            }
            if (kind == ListExpression.class) {
                long size = 1;
                for (Expression item : ((ListExpression) e).getExpressions()) {
                    size = add(size, value(item, depth + 1));
                }
                return checked(e, size);
            }
            if (kind == MapExpression.class) {
                return map((MapExpression) e, depth);
            }
            if (kind == ClosureExpression.class) {
                return closure((ClosureExpression) e, depth);
            }
            if (kind == VariableExpression.class) {
                return variable((VariableExpression) e);
            }
            if (kind == BinaryExpression.class) {
                BinaryExpression b = (BinaryExpression) e;
                if (b.getOperation().getType() != Types.PLUS) {
                    return refuse(b, "operator '" + b.getOperation().getText() + "' is not allowed in a pipeline script"
                            + " (only '+' to join text or lists, and 'def name = value')");
                }
                return checked(e, add(value(b.getLeftExpression(), depth + 1), value(b.getRightExpression(), depth + 1)));
            }
            if (kind == UnaryMinusExpression.class) {
                Expression operand = ((UnaryMinusExpression) e).getExpression();
                if (operand.getClass() != ConstantExpression.class || !(((ConstantExpression) operand).getValue() instanceof Number)) {
                    return refuse(e, "a minus sign is allowed only before a number");
                }
                return constant((ConstantExpression) operand);
            }
            if (kind == MethodCallExpression.class) {
                return refuse(e, "'" + text(e) + "' is a call; a value must be text, a number, true/false, null, a list,"
                        + " a map, a closure or a 'def' variable");
            }
            return refuse(e, describeExpression(e) + " is not allowed in a pipeline script (a value must be text, a number,"
                    + " true/false, null, a list, a map, a closure or a 'def' variable)");
        }

        private long constant(ConstantExpression c) {
            Object v = c.getValue();
            if (v == null || v instanceof Boolean) {
                return 1;
            }
            if (v instanceof String s) {
                return checked(c, Math.max(1, s.length()));
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Float) {
                return 20;
            }
            if (v instanceof BigInteger b && b.bitLength() <= MAX_NUMBER_DIGITS * 3
                    || v instanceof BigDecimal d && d.precision() <= MAX_NUMBER_DIGITS
                    && Math.abs(d.scale()) <= MAX_NUMBER_DIGITS) {
                return MAX_NUMBER_DIGITS;
            }
            if (v instanceof Number) {
                return refuse(c, "numbers may have at most " + MAX_NUMBER_DIGITS + " digits; write a longer one as text");
            }
            return refuse(c, "'" + text(c) + "' is not allowed as a value");
        }

        private long gstring(GStringExpression g, int depth) {
            long size = 1;
            for (ConstantExpression s : g.getStrings()) {
                size = add(size, constant(s));
            }
            for (Expression v : g.getValues()) {
                // Rendering the string would call the closure.
                if (isClosure(v)) {
                    return refuse(v, "a closure inside a double-quoted string; write ${{ ... }} expressions in single quotes");
                }
                size = add(size, value(v, depth + 1));
            }
            return checked(g, size);
        }

        /** A closure, or (once names are resolved) a variable whose value is one. */
        private boolean isClosure(Expression e) {
            return e.getClass() == ClosureExpression.class || e.getClass() == VariableExpression.class
                    && ((VariableExpression) e).getAccessedVariable() instanceof VariableExpression declared
                    && closures.contains(declared);
        }

        private long map(MapExpression m, int depth) {
            long size = 1;
            for (MapEntryExpression entry : m.getMapEntryExpressions()) {
                if (!enter(entry, depth + 1) || !noAnnotations(entry)) {
                    continue;
                }
                if (entry.getClass() != MapEntryExpression.class || entry.getKeyExpression().getClass() != ConstantExpression.class
                        || !(((ConstantExpression) entry.getKeyExpression()).getValue() instanceof String
                        || ((ConstantExpression) entry.getKeyExpression()).getValue() instanceof Number)) {
                    refuse(entry, "a map key must be written out: [key: value] or ['dashed-key': value]");
                    continue;
                }
                size = add(size, constant((ConstantExpression) entry.getKeyExpression()));
                size = add(size, value(entry.getValueExpression(), depth + 2));
            }
            return checked(m, size);
        }

        private long closure(ClosureExpression c, int depth) {
            if (c.getParameters() != null && c.getParameters().length > 0) {
                return refuse(c, "closures in a pipeline script take no parameters (a parameter's default value"
                        + " would run): write { ... } without '->'");
            }
            return checked(c, add(1, block(c.getCode(), depth + 1, false)));
        }

        private long variable(VariableExpression v) {
            if (v.isThisExpression() || v.isSuperExpression()) {
                return refuse(v, "'" + v.getName() + "' is not available in a pipeline script");
            }
            if (!resolved) {
                return 1;
            }
            if (!(v.getAccessedVariable() instanceof VariableExpression declared) || !variables.containsKey(declared)) {
                return refuse(v, "'" + v.getName() + "' has no value here; to set it write " + v.getName() + " 'value',"
                        + " or declare a local variable before it with def " + v.getName() + " = ...");
            }
            return variables.get(declared);
        }

        private boolean enter(ASTNode node, int depth) {
            if (++nodes == MAX_NODES + 1) {
                refuse(node, "the script has more than " + MAX_NODES + " elements; write a smaller pipeline");
            }
            if (depth > MAX_DEPTH) {
                if (!tooDeep) {
                    tooDeep = true;
                    refuse(node, "the script nests deeper than " + MAX_DEPTH + " levels; flatten it");
                }
                return false;
            }
            return nodes <= MAX_NODES;
        }

        private boolean noAnnotations(AnnotatedNode node) {
            if (written(node.getAnnotations()).isEmpty()) {
                return true;
            }
            annotations(source, node);
            return false;
        }

        private long checked(ASTNode node, long size) {
            if (resolved && size > MAX_BUILT_SIZE && !tooBig) {
                refuseSize(node);
            }
            return size;
        }

        private void refuseSize(ASTNode node) {
            tooBig = true;
            refuse(node, "the script builds more than " + MAX_BUILT_SIZE + " characters and entries (counting each"
                    + " use of a variable); write a smaller pipeline");
        }

        private long refuse(ASTNode node, String message) {
            error(source, message, node);
            return 0;
        }
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static String text(ASTNode node) {
        String t = node.getText();
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }

    private static String describeStatement(Statement s) {
        return switch (s.getClass().getSimpleName()) {
            case "ForStatement", "WhileStatement", "DoWhileStatement" -> "a loop";
            case "IfStatement" -> "'if'";
            case "SwitchStatement" -> "'switch'";
            case "TryCatchStatement" -> "'try'";
            case "ReturnStatement" -> "'return'";
            case "ThrowStatement" -> "'throw'";
            case "AssertStatement" -> "'assert'";
            case "SynchronizedStatement" -> "'synchronized'";
            case "BreakStatement", "ContinueStatement" -> "'break' or 'continue'";
            default -> "this statement";
        };
    }

    private static String describeExpression(Expression e) {
        String what = switch (e.getClass().getSimpleName()) {
            case "PropertyExpression", "AttributeExpression" -> "property access";
            case "ConstructorCallExpression" -> "'new'";
            case "CastExpression" -> "a cast or 'as'";
            case "MethodPointerExpression" -> "a method pointer ('.&')";
            case "MethodReferenceExpression" -> "a method reference ('::')";
            case "SpreadExpression", "SpreadMapExpression" -> "spreading ('*')";
            case "ClassExpression" -> "a class";
            case "RangeExpression" -> "a range";
            case "TernaryExpression", "ElvisOperatorExpression" -> "a condition";
            case "LambdaExpression" -> "a lambda";
            case "PrefixExpression", "PostfixExpression" -> "'++' or '--'";
            case "StaticMethodCallExpression" -> "a method call";
            default -> "this expression";
        };
        return what + " ('" + text(e) + "')";
    }
}
