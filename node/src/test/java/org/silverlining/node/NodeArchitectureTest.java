package org.silverlining.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The node's package structure: dependencies between its packages point one way, the parts the
 * management API calls know nothing of HTTP, and only {@link Node} wires them together.
 */
@AnalyzeClasses(packages = "org.silverlining", importOptions = ImportOption.DoNotIncludeTests.class)
class NodeArchitectureTest {
  /** Each package a slice, the root package ({@code node}) included. */
  @ArchTest
  static final ArchRule packagesHaveNoCycles =
      slices().matching("org.silverlining.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule facadesAndRefusalsKnowNothingOfHttp =
      noClasses()
          .that()
          .resideInAnyPackage("org.silverlining.node.control..", "org.silverlining.node.errors..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.eclipse.jetty..",
              "org.silverlining.node.api..",
              "org.silverlining.node.admin..");

  /** The rules of answering from files hold for every server that serves them (see docs). */
  @ArchTest
  static final ArchRule staticFileRulesKnowNothingOfHttpServers =
      noClasses()
          .that()
          .resideInAPackage("org.silverlining.node.staticfiles..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.eclipse.jetty..", "org.silverlining.node.front..");

  @ArchTest
  static final ArchRule refusalsDependOnNothingOfTheNode =
      noClasses()
          .that()
          .resideInAPackage("org.silverlining.node.errors..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages("org.silverlining.node.errors..", "java..");

  @ArchTest
  static final ArchRule onlyTheApisMapRefusalsToStatusCodes =
      classes()
          .that()
          .resideInAPackage("org.silverlining.node.api..")
          .should()
          .onlyHaveDependentClassesThat()
          .resideInAnyPackage(
              "org.silverlining.node.api..",
              "org.silverlining.node.admin..",
              "org.silverlining.node.tasks..",
              "org.silverlining.node.monitor..",
              "org.silverlining.node.dashboard..");

  /** The root package is wiring: nothing inside the node depends on it but the command line. */
  @ArchTest
  static final ArchRule nothingInTheNodeDependsOnTheWiring =
      noClasses()
          .that()
          .resideInAPackage("org.silverlining.node..")
          .and()
          .resideOutsideOfPackage("org.silverlining.node")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.silverlining.node");
}
