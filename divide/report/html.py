"""Self-contained HTML maps that work with no network (LGWAN): plotly.js inline, borders shared.

plotly.js is embedded (the project's partial "basic" bundle when ``make setup`` could fetch it from
the npm registry, else the full bundle shipped with plotly.py). The municipal polygons are not
written as coordinates of every trace: they are encoded once as a quantised TopoJSON topology, in
which a border between two municipalities is stored once, and a few lines of JavaScript rebuild the
traces before the plot is drawn. Nothing is fetched: no CDN, no tiles, no fonts.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import shapely
import topojson
from plotly.offline import get_plotlyjs

from divide.paths import project_root
from divide.validation import check_lang

QUANTIZATION = 1e5
SIMPLIFY_ABOVE = 500  # polygons: national maps are simplified (topology kept) to stay light
SIMPLIFY_TOLERANCE = 0.002  # degrees, about 200 m: invisible at the scale of a map of Japan

_DECODER = """
function divideDecode(topology, figure) {
  var t = topology.transform, arcs = topology.arcs.map(function (arc) {
    var x = 0, y = 0;
    return arc.map(function (p) { x += p[0]; y += p[1];
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]]; });
  });
  function ring(indexes) {
    var points = [];
    indexes.forEach(function (i, k) {
      var a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
      points = points.concat(k ? a.slice(1) : a);
    });
    return points;
  }
  var geometries = topology.objects.polygons.geometries;
  var positions = figure.layout.meta.divide.polygons;
  positions.forEach(function (position, g) {
    var geometry = geometries[g], parts = [], xs = [], ys = [];
    if (!geometry || !geometry.arcs) { return; }
    if (geometry.type === 'Polygon') { parts = [geometry.arcs[0]]; }
    else { parts = geometry.arcs.map(function (polygon) { return polygon[0]; }); }
    parts.forEach(function (indexes) {
      ring(indexes).forEach(function (p) { xs.push(p[0]); ys.push(p[1]); });
      xs.push(null); ys.push(null);
    });
    figure.data[position].x = xs; figure.data[position].y = ys;
  });
}
"""


def plotlyjs() -> tuple[str, str]:
    """(source, description) of the plotly.js bundle to embed."""
    candidates = [
        os.environ.get("DIVIDE_PLOTLYJS"),
        str(project_root() / ".venv" / "share" / "divide" / "plotly-basic.min.js"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(
                encoding="utf-8"
            ), f"partial bundle {Path(candidate).name}"
    return get_plotlyjs(), "full plotly.js bundle"


def topology(figure: go.Figure) -> dict | None:
    """TopoJSON of the figure's municipal polygons (trace order), or None for figures without them."""
    meta = (
        (figure.layout.meta or {}).get("divide", {}) if isinstance(figure.layout.meta, dict) else {}
    )
    positions = meta.get("polygons") or []
    if not positions:
        return None
    polygons = []
    for position in positions:
        trace = figure.data[position]
        parts, current = [], []
        for x, y in zip(trace.x, trace.y, strict=True):
            if x is None:
                if len(current) >= 4:
                    parts.append(shapely.Polygon(current))
                current = []
            else:
                current.append((x, y))
        polygons.append(shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0])
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"n": range(len(polygons))}, geometry=polygons, crs="EPSG:6668")
    options = {"prequantize": QUANTIZATION, "topology": True}
    if len(polygons) > SIMPLIFY_ABOVE:
        options.update(toposimplify=SIMPLIFY_TOLERANCE)
    topo = topojson.Topology(frame[["geometry"]], object_name="polygons", **options)
    return json.loads(topo.to_json())


def figure_payload(figure: go.Figure) -> tuple[str, str | None]:
    """The figure JSON (polygon coordinates removed when a topology carries them) and the topology
    JSON.
    """
    topo = topology(figure)
    data = json.loads(pio.to_json(figure, validate=False))
    if topo is not None:
        for position in data["layout"]["meta"]["divide"]["polygons"]:
            data["data"][position]["x"] = []
            data["data"][position]["y"] = []
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), (
        json.dumps(topo, separators=(",", ":")) if topo is not None else None
    )


def write_html(
    figure: go.Figure, path: str | Path, *, title: str | None = None, lang: str = "ja"
) -> dict:
    """Write a self-contained HTML file; returns sizes (bytes) of the parts for reporting.

    Parameters
    ----------
    figure : plotly Figure
        The figure to write.
    path : str or Path
        The HTML file.
    title : str, optional
        The page title (default: the figure's).
    lang : {"ja", "en"}
        The page's language.

    Examples
    --------
    >>> import tempfile, pathlib, divide
    >>> frame = divide.load_frame("31").municipalities
    >>> figure = divide.choropleth(frame, "density", divide.MapText("density", ["credit"]))
    >>> sizes = divide.write_html(figure, pathlib.Path(tempfile.mkdtemp()) / "density.html")
    >>> sizes["topology"] > 0 and sizes["total"] > sizes["plotlyjs"]
    True
    """
    check_lang(lang, "write_html")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure_json, topo_json = figure_payload(figure)
    bundle, bundle_name = plotlyjs()
    width = figure.layout.width or 900
    height = figure.layout.height or 900
    text = title or (
        figure.layout.title.text if figure.layout.title and figure.layout.title.text else "divide"
    )
    script = (
        "var figure = "
        + figure_json
        + ";\n"
        + (_DECODER + "divideDecode(" + topo_json + ", figure);\n" if topo_json else "")
        + "Plotly.newPlot('map', figure.data, figure.layout, {displaylogo: false, responsive: false,"
        " toImageButtonOptions: {format: 'png', scale: 2}});\n"
    )
    document = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(text)}</title>\n"
        "<style>body{margin:0;background:#fff}</style>\n</head>\n<body>\n"
        f'<div id="map" style="width:{width}px;height:{height}px"></div>\n'
        f"<script>{bundle}</script>\n<script>\n{script}</script>\n</body>\n</html>\n"
    )
    path.write_text(document, encoding="utf-8")
    return {
        "total": path.stat().st_size,
        "plotlyjs": len(bundle.encode("utf-8")),
        "bundle": bundle_name,
        "figure": len(figure_json.encode("utf-8")),
        "topology": len((topo_json or "").encode("utf-8")),
    }
