package dev.teeflow.dsl.groovy;

import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
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
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.SecureASTCustomizer;
import org.codehaus.groovy.syntax.Types;

/**
 * The compiler configuration pipeline scripts run under. Two layers: {@link DslChecker} gives
 * friendly errors with line and column for anything outside the DSL; a {@link SecureASTCustomizer}
 * with the same whitelist stands behind it in case a shape slips past the first.
 */
final class Sandbox {
    private Sandbox() {
    }

    static CompilerConfiguration configuration(DslChecker checker) {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(PipelineScript.class.getName());
        // @Grab would download and load code from the network.
        cc.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
        cc.addCompilationCustomizers(checker, secure());
        return cc;
    }

    static SecureASTCustomizer secure() {
        SecureASTCustomizer s = new SecureASTCustomizer();
        s.setPackageAllowed(false);
        s.setMethodDefinitionAllowed(false);
        s.setClosuresAllowed(true);
        s.setAllowedImports(List.of());
        s.setAllowedStarImports(List.of());
        s.setAllowedStaticImports(List.of());
        s.setAllowedStaticStarImports(List.of());
        s.setAllowedStatements(List.of(BlockStatement.class, ExpressionStatement.class, ReturnStatement.class,
                EmptyStatement.class));
        s.setAllowedExpressions(List.of(ConstantExpression.class, GStringExpression.class, ListExpression.class,
                MapExpression.class, MapEntryExpression.class, ClosureExpression.class, MethodCallExpression.class,
                ArgumentListExpression.class, NamedArgumentListExpression.class, TupleExpression.class,
                VariableExpression.class, DeclarationExpression.class, BinaryExpression.class,
                UnaryMinusExpression.class));
        s.setAllowedTokens(List.of(Types.PLUS, Types.ASSIGN));
        s.setDisallowedReceiversClasses(List.of(System.class, Runtime.class, Class.class, ClassLoader.class,
                Thread.class, ProcessBuilder.class, Process.class, java.io.File.class, java.nio.file.Files.class,
                java.nio.file.Paths.class, java.net.Socket.class, java.net.URL.class, groovy.lang.GroovyShell.class,
                groovy.lang.Script.class, groovy.lang.MetaClass.class));
        s.addExpressionCheckers(expression -> {
            if (expression instanceof MethodCallExpression call) {
                boolean onThis = call.isImplicitThis()
                        || call.getObjectExpression() instanceof VariableExpression v && v.isThisExpression();
                return onThis && call.getMethodAsString() != null
                        && !DslChecker.FORBIDDEN_CALLS.contains(call.getMethodAsString());
            }
            if (expression instanceof VariableExpression v) {
                return !DslChecker.FORBIDDEN_VARIABLES.contains(v.getName()) || v.isThisExpression();
            }
            return true;
        });
        return s;
    }
}
