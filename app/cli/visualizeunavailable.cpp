// Built without OpenCV (a bare GPU server): `visualize` says why it cannot draw.

#include "exitcodes.h"
#include "graphloading.h"
#include "visualizecommand.h"

namespace nc::cli {

int runVisualize(const std::vector<std::string>&) {
    printError("visualize", "this build has no OpenCV, which draws the pictures; install "
                            "libopencv-dev and rebuild");
    return kExitUsage;
}

} // namespace nc::cli
