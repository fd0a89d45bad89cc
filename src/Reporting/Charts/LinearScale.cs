namespace MlNetRobust.Reporting.Charts;

/// <summary>Maps data values linearly onto pixels (a flipped range handles SVG's downward y).</summary>
internal readonly record struct LinearScale(double DomainMin, double DomainMax, double RangeFrom, double RangeTo)
{
    public double Map(double value) => DomainMax == DomainMin
        ? (RangeFrom + RangeTo) / 2
        : RangeFrom + (value - DomainMin) / (DomainMax - DomainMin) * (RangeTo - RangeFrom);
}
