package org.vqlab.core.data;

/** The dataset split a stage reads. */
public enum Split { TRAIN, TEST }
