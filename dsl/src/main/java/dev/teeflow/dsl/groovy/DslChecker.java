package dev.teeflow.dsl.groovy;

import java.util.Map;
import java.util.Set;
import java.util.HashMap;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
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
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Types;

/**
 * Allows only the DSL's own shapes in a pipeline script: calls without a receiver ({@code name 'x'},
 * {@code app('a') { ... }}), literals, lists, maps, closures, local variables and string
 * concatenation. Everything else (a receiver such as {@code System.}, {@code new}, property access,
 * loops, classes, annotations) is reported with its line and column, every violation at once.
 * Also records the column of each call so runtime locations can carry one.
 */
final class DslChecker extends CompilationCustomizer {
    /**
     * Calls that would reach Groovy/Java machinery if the builder did not intercept every call. The
     * builder does, so this is a second fence; a key with one of these names can still be written as
     * a map entry: {@code parent(sleep: 1)}.
     */
    static final Set<String> FORBIDDEN_CALLS = Set.of("getClass", "getMetaClass", "setMetaClass", "invokeMethod",
            "getProperty", "setProperty", "evaluate", "execute", "getBinding", "setBinding", "getOwner",
            "getDelegate", "setDelegate", "getThisObject", "rehydrate", "sleep", "wait", "notify", "notifyAll",
            "methodMissing", "propertyMissing", "addShutdownHook", "println", "print", "printf");
    /** Names that would reach the script, the closure or the JVM rather than a value. */
    static final Set<String> FORBIDDEN_VARIABLES = Set.of("this", "super", "owner", "delegate", "thisObject",
            "binding", "metaClass", "class", "out", "args");

    /** Column of the first call of a given name on a given line, for runtime locations. */
    private final Map<String, Integer> callColumns = new HashMap<>();

    DslChecker() {
        super(CompilePhase.SEMANTIC_ANALYSIS);
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
            error(source, "a pipeline script cannot declare classes, interfaces or enums", classNode);
            return;
        }
        if (!source.getAST().getImports().isEmpty() || !source.getAST().getStarImports().isEmpty()
                || !source.getAST().getStaticImports().isEmpty() || !source.getAST().getStaticStarImports().isEmpty()) {
            error(source, "a pipeline script cannot import anything", classNode);
        }
        if (source.getAST().getPackage() != null) {
            error(source, "a pipeline script cannot declare a package", source.getAST().getPackage());
        }
        classNode.getMethods().forEach(m -> {
            if (!m.getName().equals("run") && !m.getName().equals("main") && m.getLineNumber() > 0) {
                error(source, "a pipeline script cannot define methods ('" + m.getName() + "')", m);
            }
        });
        if (!classNode.getFields().isEmpty()) {
            classNode.getFields().forEach(f -> {
                if (f.getLineNumber() > 0) {
                    error(source, "a pipeline script cannot declare fields", f);
                }
            });
        }
        var run = classNode.getMethod("run", org.codehaus.groovy.ast.Parameter.EMPTY_ARRAY);
        if (run != null && run.getCode() != null) {
            run.getCode().visit(new Visitor(source));
        }
    }

    private static void error(SourceUnit source, String message, ASTNode node) {
        source.getErrorCollector().addErrorAndContinue(new SyntaxException(message, node), source);
    }

    private final class Visitor extends ClassCodeVisitorSupport {
        private final SourceUnit source;

        Visitor(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitAnnotations(AnnotatedNode node) {
            if (!node.getAnnotations().isEmpty()) {
                error(source, "annotations are not allowed in a pipeline script", node);
            }
        }

        private boolean allowedStatement(Statement s) {
            return s instanceof BlockStatement || s instanceof ExpressionStatement || s instanceof ReturnStatement
                    || s instanceof EmptyStatement;
        }

        private boolean allowedExpression(Expression e) {
            return e instanceof ConstantExpression || e instanceof GStringExpression || e instanceof ListExpression
                    || e instanceof MapExpression || e instanceof MapEntryExpression || e instanceof ClosureExpression
                    || e instanceof MethodCallExpression || e instanceof ArgumentListExpression
                    || e instanceof NamedArgumentListExpression || e instanceof TupleExpression
                    || e instanceof VariableExpression || e instanceof DeclarationExpression
                    || e instanceof BinaryExpression || e instanceof UnaryMinusExpression;
        }

        @Override
        public void visitBlockStatement(BlockStatement block) {
            for (Statement s : block.getStatements()) {
                if (!allowedStatement(s)) {
                    error(source, "this statement is not allowed in a pipeline script (only DSL calls,"
                            + " values and 'def' variables; no loops, conditions or try)", s);
                }
            }
            super.visitBlockStatement(block);
        }

        @Override
        public void visitExpressionStatement(ExpressionStatement s) {
            check(s.getExpression());
            super.visitExpressionStatement(s);
        }

        @Override
        public void visitReturnStatement(ReturnStatement s) {
            check(s.getExpression());
            super.visitReturnStatement(s);
        }

        private void check(Expression e) {
            if (!allowedExpression(e)) {
                error(source, "'" + e.getText() + "' is not allowed in a pipeline script (only DSL calls, literals,"
                        + " lists, maps, closures and 'def' variables)", e);
            }
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            String name = call.getMethodAsString();
            if (!call.isImplicitThis() && "call".equals(name) && call.getObjectExpression() instanceof VariableExpression v
                    && !v.isThisExpression()) {
                error(source, "'" + v.getName() + "' is a local variable here, so '" + v.getName() + " ...' would call it"
                        + " instead of writing the key '" + v.getName() + "'; rename the variable", call);
            } else if (!call.isImplicitThis() || name == null) {
                error(source, "'" + call.getText() + "' calls a method on an object; a pipeline script may only"
                        + " write DSL entries such as name 'value' or section { ... }", call);
            } else if (FORBIDDEN_CALLS.contains(name)) {
                error(source, "'" + name + "' is reserved in a pipeline script; write a key with that name as a"
                        + " map entry: parent(" + name + ": value)", call);
            } else {
                callColumns.putIfAbsent(key(call.getLineNumber(), name), call.getColumnNumber());
                // Send the call to 'this' explicitly: inside a closure that is the closure's thisObject,
                // which the builder sets to itself. An implicit call would first try the closure's own
                // methods, so keys named like Groovy's Object methods ('with', 'find', 'each') would
                // never reach the builder.
                call.setImplicitThis(false);
            }
            call.getArguments().visit(this);
            checkChildren(call.getArguments());
        }

        private void checkChildren(Expression args) {
            if (args instanceof TupleExpression t) {
                t.getExpressions().forEach(this::check);
            } else {
                check(args);
            }
        }

        @Override
        public void visitVariableExpression(VariableExpression v) {
            if (FORBIDDEN_VARIABLES.contains(v.getName())) {
                error(source, "'" + v.getName() + "' is not available in a pipeline script", v);
            }
        }

        @Override
        public void visitBinaryExpression(BinaryExpression b) {
            int op = b.getOperation().getType();
            boolean declaration = b instanceof DeclarationExpression && op == Types.ASSIGN;
            if (!declaration && op != Types.PLUS) {
                error(source, "operator '" + b.getOperation().getText() + "' is not allowed in a pipeline script"
                        + " (only '+' to join text, and 'def name = value')", b);
            }
            if (declaration && !(b.getLeftExpression() instanceof VariableExpression)) {
                error(source, "only 'def name = value' declarations are allowed", b);
            }
            check(b.getRightExpression());
            b.getRightExpression().visit(this);
            if (!declaration) {
                check(b.getLeftExpression());
                b.getLeftExpression().visit(this);
            }
        }

        @Override
        public void visitClosureExpression(ClosureExpression c) {
            if (c.getCode() != null) {
                c.getCode().visit(this);
            }
        }

        @Override
        public void visitListExpression(ListExpression l) {
            l.getExpressions().forEach(this::check);
            super.visitListExpression(l);
        }

        @Override
        public void visitMapEntryExpression(MapEntryExpression m) {
            check(m.getKeyExpression());
            check(m.getValueExpression());
            super.visitMapEntryExpression(m);
        }

        @Override
        public void visitGStringExpression(GStringExpression g) {
            g.getValues().forEach(this::check);
            super.visitGStringExpression(g);
        }

        @Override
        public void visitUnaryMinusExpression(UnaryMinusExpression u) {
            check(u.getExpression());
            super.visitUnaryMinusExpression(u);
        }
    }
}
