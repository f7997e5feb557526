package org.vqlab.core.tracking;

/** How a run or stage ended (MLflow's terminal statuses). */
public enum RunStatus { FINISHED, FAILED, KILLED }
