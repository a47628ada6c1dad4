"""In Chromium: the basemap worker's painter (pwa/workers/basemap-paint.js) paints what protomaps-leaflet's does.

The worker paints each rule's features as one path, where protomaps-leaflet paints one path per
feature. Here both paint the same tiles of a city's density (thousands of row houses sharing walls,
dashed lanes, parks, water, street names) with the app's own rules and one label index, and the two
pictures are compared pixel by pixel.
"""

import gzip

import pytest

from .basemap_planet import make_tile

pytestmark = pytest.mark.browser

# Central Ghent: a z15 tile (houses: buildings start at z14 in the city planet) and a z13 one (streets).
# The share of 2 x 2 CSS px blocks allowed to differ: the city planet's houses are random rectangles that
# overlap, and where they do the worker draws every outline (all fills, then all edges) while the
# library's later house covers the earlier one's edge; real houses share walls and do not overlap.
# The map at z16 draws the z15 tile as it is; at z17, past the data's last zoom, twice as large.
TILES = [
    pytest.param(15, 16722, 10962, 16, 0.005, id="z15 houses"),
    pytest.param(15, 16722, 10962, 17, 0.005, id="z15 houses drawn larger"),
    pytest.param(13, 4180, 2740, 14, 0.0005, id="z13 streets"),
]

PAINT_BOTH = """async ({ z, x, y, tileZoom }) => {
    const P = window.protomapsL;
    const style = await import("/js/basemap-style.js");
    const { paintTile } = await import("/workers/basemap-paint.js");
    const colours = style.LIGHT_COLOURS;
    const bytes = await (await fetch(`/test-tiles/${z}/${x}/${y}.mvt`)).arrayBuffer();
    const archive = { getZxy: async () => ({ data: bytes }) };
    const view = new P.View(new P.TileCache(new P.PmtilesSource(archive, false), 512), z, 1);
    const paintRules = style.paintRules(P, colours);
    const labelers = new P.Labelers(new OffscreenCanvas(1, 1).getContext("2d"), style.labelRules(P, colours), 16);
    // four display tiles drawn from this data tile (its top left ones), two pixels per CSS px, as on a phone
    const shift = 1 << (tileZoom - z - 1);
    const pictures = { library: [], worker: [] };
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const tile = { z: tileZoom, x: 2 * shift * x + dx, y: 2 * shift * y + dy };
        const prepared = new Map([["", [await view.getDisplayTile(tile)]]]);
        labelers.add(tile.z, prepared);
        const origin = { x: 256 * tile.x, y: 256 * tile.y };
        const bbox = { minX: origin.x - 16, minY: origin.y - 16, maxX: origin.x + 272, maxY: origin.y + 272 };
        for (const painter of ["library", "worker"]) {
            const canvas = new OffscreenCanvas(512, 512);
            const context = canvas.getContext("2d");
            context.setTransform(2, 0, 0, 2, 0, 0);
            context.fillStyle = colours.earth;
            context.fillRect(0, 0, 256, 256);
            const index = labelers.getIndex(tile.z);
            if (painter === "library") P.paint(context, tile.z, prepared, index, paintRules, bbox, origin, false);
            else paintTile(P, context, tile.z, prepared, index, paintRules, bbox, origin);
            pictures[painter].push(context.getImageData(0, 0, 512, 512).data);
        }
    }
    const close = (data, [r, g, b]) => { let n = 0;
        for (let i = 0; i < data.length; i += 4)
            if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 12) n++;
        return n; };
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    // 4 x 4 pixel blocks (2 x 2 CSS px) whose average colour differs: a shape moved, missing or added;
    // single pixels differ where two features' antialiased edges meet (see the painter's comment)
    let differing = 0, blocks = 0, pixels = 0, building = 0, road = 0, label = 0;
    pictures.library.forEach((library, n) => {
        const worker = pictures.worker[n];
        for (let by = 0; by < 512; by += 4) for (let bx = 0; bx < 512; bx += 4) {
            const sum = [0, 0, 0];
            for (let y = by; y < by + 4; y++) for (let x = bx; x < bx + 4; x++) {
                const i = 4 * (512 * y + x);
                for (let c = 0; c < 3; c++) sum[c] += library[i + c] - worker[i + c];
            }
            blocks++;
            if (Math.max(...sum.map(Math.abs)) / 16 > 16) differing++;
        }
        pixels += library.length / 4;
        building += close(worker, rgb(colours.building));
        road += close(worker, rgb(colours.road)) + close(worker, rgb(colours.major));
        label += close(worker, rgb(colours.label));
    });
    return { differing: differing / blocks, building: building / pixels, road: road / pixels, label: label / pixels };
}"""


@pytest.mark.parametrize("z,x,y,map_zoom,allowed", TILES)
def test_the_worker_paints_a_dense_city_as_protomaps_leaflet_does(page_context, z, x, y, map_zoom, allowed):
    page_context.route(
        "**/test-tiles/**",
        lambda route: route.fulfill(
            body=gzip.decompress(make_tile(z, x, y, density="city")), content_type="application/x-protobuf"
        ),
    )
    page = page_context.new_page()
    page.goto("/editor/login")  # a page of the site that may run its scripts: the modules are same-origin
    page.add_script_tag(url="/vendor/protomaps-leaflet/dist/protomaps-leaflet.js")
    found = page.evaluate(PAINT_BOTH, {"z": z, "x": x, "y": y, "tileZoom": map_zoom})
    if z == 15:
        assert found["building"] > 0.01  # the houses are there, in the building colour
    assert found["road"] > 0.02
    assert found["label"] > 0.0005  # street names, from the shared label index
    assert found["differing"] < allowed, found
