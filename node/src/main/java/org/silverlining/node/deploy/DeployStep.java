package org.silverlining.node.deploy;

import org.silverlining.node.steps.Step;

/**
 * One stage of a deployment, run by {@link org.silverlining.node.steps.StepsRunner} in the order
 * {@link Deployer} gives.
 */
public interface DeployStep extends Step<Deployment> {}
