// The cells' pointwise maths as Eigen array expressions, so they vectorise over the units.
#include "recurrentcells.h"

#include <Eigen/Core>

namespace nc::engine::cpu {

namespace {

using Array = Eigen::ArrayXf;
using Vec = Eigen::Map<Array>;
using ConstVec = Eigen::Map<const Array>;

void rnnForward(std::int64_t h, const CellStep& s) {
    Vec(s.gates, h) = (ConstVec(s.xp, h) + ConstVec(s.hp, h)).tanh();
    Vec(s.h, h) = Vec(s.gates, h);
}

void lstmForward(std::int64_t h, const CellStep& s) {
    Vec pre(s.gates, 4 * h);
    pre = ConstVec(s.xp, 4 * h) + ConstVec(s.hp, 4 * h);
    pre.segment(0, 2 * h) = pre.segment(0, 2 * h).logistic(); // i, f
    pre.segment(2 * h, h) = pre.segment(2 * h, h).tanh();     // g
    pre.segment(3 * h, h) = pre.segment(3 * h, h).logistic(); // o
    Vec c(s.c, h);
    c = pre.segment(h, h) * ConstVec(s.cPrev, h) + pre.segment(0, h) * pre.segment(2 * h, h);
    Vec(s.h, h) = pre.segment(3 * h, h) * c.tanh();
}

void gruForward(std::int64_t h, const CellStep& s) {
    Vec gates(s.gates, 3 * h);
    ConstVec xp(s.xp, 3 * h), hp(s.hp, 3 * h);
    gates.segment(0, 2 * h) = (xp.segment(0, 2 * h) + hp.segment(0, 2 * h)).logistic(); // r, z
    Vec(s.hpn, h) = hp.segment(2 * h, h);
    gates.segment(2 * h, h) =
        (xp.segment(2 * h, h) + gates.segment(0, h) * hp.segment(2 * h, h)).tanh();
    const auto z = gates.segment(h, h);
    Vec(s.h, h) = (1.0f - z) * gates.segment(2 * h, h) + z * ConstVec(s.hPrev, h);
}

void rnnBackward(std::int64_t h, const CellGradient& g) {
    ConstVec y(g.gates, h);
    Vec(g.dxp, h) = ConstVec(g.dh, h) * (1.0f - y.square());
    Vec(g.dhp, h) = Vec(g.dxp, h);
}

void lstmBackward(std::int64_t h, const CellGradient& g) {
    ConstVec gates(g.gates, 4 * h), dh(g.dh, h);
    const auto i = gates.segment(0, h), f = gates.segment(h, h), cand = gates.segment(2 * h, h),
               o = gates.segment(3 * h, h);
    const Array tc = ConstVec(g.c, h).tanh();
    Vec dc(g.dc, h);
    dc += dh * o * (1.0f - tc.square());
    Vec d(g.dxp, 4 * h);
    d.segment(0, h) = dc * cand * i * (1.0f - i);
    d.segment(h, h) = dc * ConstVec(g.cPrev, h) * f * (1.0f - f);
    d.segment(2 * h, h) = dc * i * (1.0f - cand.square());
    d.segment(3 * h, h) = dh * tc * o * (1.0f - o);
    dc *= f; // flows on to the previous step's cell
    Vec(g.dhp, 4 * h) = d;
}

void gruBackward(std::int64_t h, const CellGradient& g) {
    ConstVec gates(g.gates, 3 * h), dh(g.dh, h), hPrev(g.hPrev, h);
    const auto r = gates.segment(0, h), z = gates.segment(h, h), n = gates.segment(2 * h, h);
    const Array dn = dh * (1.0f - z) * (1.0f - n.square());
    Vec dxp(g.dxp, 3 * h), dhp(g.dhp, 3 * h);
    const Array dr = dn * ConstVec(g.hpn, h) * r * (1.0f - r);
    const Array dz = dh * (hPrev - n) * z * (1.0f - z);
    dxp.segment(0, h) = dr;
    dxp.segment(h, h) = dz;
    dxp.segment(2 * h, h) = dn;
    dhp.segment(0, h) = dr;
    dhp.segment(h, h) = dz;
    dhp.segment(2 * h, h) = dn * r;
    Vec(g.dhPrev, h) = dh * z;
}

} // namespace

int gateCount(OpKind kind) {
    return kind == OpKind::LSTM ? 4 : kind == OpKind::GRU ? 3 : 1;
}

void cellForward(OpKind kind, std::int64_t units, const CellStep& step) {
    if (kind == OpKind::LSTM)
        lstmForward(units, step);
    else if (kind == OpKind::GRU)
        gruForward(units, step);
    else
        rnnForward(units, step);
}

void cellBackward(OpKind kind, std::int64_t units, const CellGradient& step) {
    if (kind == OpKind::LSTM)
        lstmBackward(units, step);
    else if (kind == OpKind::GRU)
        gruBackward(units, step);
    else
        rnnBackward(units, step);
}

} // namespace nc::engine::cpu
