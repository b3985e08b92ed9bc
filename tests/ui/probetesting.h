#pragma once
// Helpers the Probe dock's test suites share: choosing a wire and waiting for its probe.

#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/mainwindow.h"
#include "ui/probe/probeinput.h"
#include "ui/probe/probepanel.h"

#include <QSignalSpy>
#include <QtTest>

namespace nc::test {

// Waits for the probe panel's next result.
inline bool nextProbe(nc::ui::ProbePanel* probe, int timeoutMs = 20000) {
    QSignalSpy spy(probe, &nc::ui::ProbePanel::probed);
    return spy.wait(timeoutMs);
}

// Selects the wire out of a node, as a click on it does.
inline void selectWireOutOf(nc::ui::MainWindow& window, const char* name) {
    const auto* node = window.document()->graph().findByName(name);
    QVERIFY(node);
    const nc::graph::Edge wire = window.document()->graph().edgesOutOf(node->id).front();
    window.scene()->clearSelection();
    window.scene()->edgeItem(wire)->setSelected(true);
}

// Waits until the sample data set is loaded and sample `index` has been probed.
inline void probeSample(nc::ui::ProbePanel* probe, int index) {
    if (!probe->inputs()->dataset())
        QVERIFY(QSignalSpy(probe->inputs(), &nc::ui::ProbeInputPanel::datasetLoaded).wait(30000));
    probe->inputs()->setSampleIndex(index);
    QTRY_VERIFY_WITH_TIMEOUT(probe->lastResult() && !probe->runner()->busy() &&
                                 probe->statusText().contains(QString("#%1").arg(index)),
                             20000);
}

// Waits until the probe of the input named `source` ("digit.png", "a drawing") is shown.
inline void waitForProbeOf(nc::ui::ProbePanel* probe, const QString& source) {
    QTRY_VERIFY_WITH_TIMEOUT(!probe->runner()->busy() && probe->statusText().contains(source),
                             20000);
}

} // namespace nc::test
