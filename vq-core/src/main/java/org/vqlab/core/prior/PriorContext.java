package org.vqlab.core.prior;

/**
 * What a prior factory needs besides its section: the code grid it models, the grid of the level
 * above when it is conditioned on one (0 otherwise), and the number of classes (0 for none).
 */
public record PriorContext(int numCodes, int height, int width, int upperNumCodes, int upperHeight,
    int upperWidth, int numClasses) {}
