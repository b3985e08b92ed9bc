#pragma once
// Helpers the editor's test suites share.

#include "ui/graphdocument.h"

#include <QtTest>

namespace nc::test {

// Loads one of resources/examples into the document (a test failure when it does not load).
inline void loadExample(nc::ui::GraphDocument& doc, const char* name) {
    QString error;
    QVERIFY2(
        doc.load(QStringLiteral(NC_SOURCE_DIR) + "/resources/examples/" + name + ".json", &error),
        qPrintable(error));
}

} // namespace nc::test
