// Charts on the cycle dashboard. Data come from <script type="application/json"> blocks (CSP-safe).
(function () {
  function bar(el, labels, values, name) {
    if (!window.echarts || !el) return;
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: {}, grid: { left: 36, right: 12, top: 24, bottom: 28 },
      xAxis: { type: "category", data: labels }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: name, data: values, itemStyle: { color: "#c0392b" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    var node = document.getElementById("chart-data");
    if (!node) return;
    var d = JSON.parse(node.textContent);
    bar(document.getElementById("chart-scores"), d.bins, d.counts, d.label_scores);
    bar(document.getElementById("chart-grades"), d.grades, d.grade_counts, d.label_grades);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
